import { PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { ReasonedButton } from '../access/reasoned-button.tsx';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import type { ApiToken, CreatedApiToken } from '../api/identity-types.ts';
import { formatTime } from '../format/format-time.ts';
import { TimeCell } from '../format/time-cell.tsx';
import { useProjects } from '../shell/use-projects.ts';
import { useCurrentProjectId } from '../shell/use-project-id.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';
import { useDialogState } from '../states/use-dialog-state.ts';
import { TokenDialog } from '../tokens/token-dialog.tsx';
import { tokenQueryKeys } from '../tokens/token-query-keys.ts';
import { TokenSecretDialog } from '../tokens/token-secret-dialog.tsx';
import { tokenState, tokenStateTags } from '../tokens/token-state.ts';
import { useTokens } from '../tokens/use-tokens.ts';

/**
 * API tokens (PRODUCT.md section 6): the signed-in user's tokens for scripts and CI. Creating one
 * shows its secret once; the list never holds it. Revoking (confirmed first) ends a token at once.
 * Tokens belong to the user, not to the project: the list is the same in every project.
 */
export function ApiTokensPage() {
  const projectId = useCurrentProjectId();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const tokens = useTokens();
  const projects = useProjects();
  const dialog = useDialogState<true>();
  const [created, setCreated] = useState<CreatedApiToken | undefined>(undefined);
  const revoke = useMutation({
    mutationFn: (token: ApiToken) =>
      api.request<ApiToken>('DELETE', `/me/tokens/${encodeURIComponent(token.id)}`),
    onSuccess: (token) => {
      void queryClient.invalidateQueries({ queryKey: tokenQueryKeys.tokens() });
      void message.success(`Token "${token.name}" revoked: it no longer opens the API.`);
    },
    onError: (error) => void message.error(describeError(error)),
  });
  const projectName = (id: string) => projects.data?.find((project) => project.id === id)?.name ?? id;

  const columns: TableColumnsType<ApiToken> = [
    {
      title: 'Name',
      key: 'name',
      render: (_value, token) => <Typography.Text strong>{token.name}</Typography.Text>,
    },
    {
      title: 'Projects',
      key: 'project',
      width: 160,
      render: (_value, token) => (token.projectId === null ? 'Every project' : projectName(token.projectId)),
    },
    {
      title: 'Permissions',
      key: 'permissions',
      render: (_value, token) =>
        token.permissions === null ? (
          <Typography.Text type="secondary">All of yours</Typography.Text>
        ) : (
          <Flex gap={4} wrap>
            {token.permissions.map((permission) => (
              <Tag key={permission} className="mono" style={{ marginInlineEnd: 0 }}>
                {permission}
              </Tag>
            ))}
          </Flex>
        ),
    },
    {
      title: 'Status',
      key: 'status',
      width: 100,
      render: (_value, token) => {
        const state = tokenState(token);
        const tag = (
          <Tag color={tokenStateTags[state].color} data-state={state}>
            {tokenStateTags[state].label}
          </Tag>
        );
        return state === 'revoked' && token.revokedAt ? (
          <Tooltip title={`Revoked ${formatTime(token.revokedAt)}`}>{tag}</Tooltip>
        ) : (
          tag
        );
      },
    },
    {
      title: 'Created',
      key: 'createdAt',
      width: 120,
      render: (_value, token) => <TimeCell value={token.createdAt} />,
    },
    {
      title: 'Expires',
      key: 'expiresAt',
      width: 120,
      render: (_value, token) => <TimeCell value={token.expiresAt} fallback="Never" />,
    },
    {
      title: 'Last used',
      key: 'lastUsedAt',
      width: 120,
      render: (_value, token) => <TimeCell value={token.lastUsedAt} fallback="Never" />,
    },
    {
      title: 'Actions',
      key: 'actions',
      width: 110,
      render: (_value, token) => {
        const state = tokenState(token);
        const reason =
          state === 'active'
            ? undefined
            : `The token is ${tokenStateTags[state].label.toLowerCase()} already.`;
        return (
          <ReasonedButton
            reason={reason}
            size="small"
            danger
            icon={<StopOutlined />}
            loading={revoke.isPending && revoke.variables.id === token.id}
            confirm={{
              title: `Revoke the token ${token.name}?`,
              description: 'Scripts and CI jobs using it are refused from now on. This cannot be undone.',
              okText: 'Revoke',
              onConfirm: () => revoke.mutate(token),
            }}
          >
            Revoke
          </ReasonedButton>
        );
      },
    },
  ];

  const projectLabel = projectName(projectId);
  return (
    <PageFrame
      title="API tokens"
      description="Your tokens for scripts and CI: each acts as you, within the projects and permissions you give it."
      actions={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => dialog.show(true)}>
          Create token
        </Button>
      }
    >
      {tokens.isError ? (
        <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : (
        <Table<ApiToken>
          rowKey="id"
          columns={columns}
          dataSource={tokens.data ? [...tokens.data] : []}
          loading={tokens.isPending}
          pagination={false}
          scroll={{ x: 1000 }}
          aria-label="API tokens"
          locale={{
            emptyText: tokens.isPending ? (
              ' '
            ) : (
              <EmptyState
                title="No API tokens yet"
                description="Create one for a script or a CI job; the secret is shown once."
                action={
                  <Button type="primary" onClick={() => dialog.show(true)}>
                    Create token
                  </Button>
                }
              />
            ),
          }}
        />
      )}
      <TokenDialog
        key={dialog.key}
        open={dialog.open}
        projectId={projectId}
        projectName={projectLabel}
        onClose={dialog.close}
        onCreated={(token) => {
          dialog.close();
          setCreated(token);
        }}
      />
      <TokenSecretDialog created={created} onClose={() => setCreated(undefined)} />
    </PageFrame>
  );
}
