import { EyeInvisibleOutlined, UndoOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Card, Flex, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { GuardedButton } from '../access/guarded-button.tsx';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import type { SecretIgnore, SecretIgnoreList } from '../api/handling-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import { TimeCell } from '../format/time-cell.tsx';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { useDialogState } from '../states/use-dialog-state.ts';
import { handlingQueryKeys } from './handling-query-keys.ts';
import { SecretIgnoreDialog } from './secret-ignore-dialog.tsx';

function LiftButton({ ignore, onLift }: { readonly ignore: SecretIgnore; readonly onLift: () => void }) {
  return (
    <GuardedButton
      permission="results:handle"
      size="small"
      icon={<UndoOutlined />}
      aria-label={`Lift the ignore of ${ignore.ruleId} at ${ignore.path}`}
      unavailableReason={ignore.removedAt === null ? undefined : 'This ignore was already lifted.'}
      confirm={{
        title: 'Lift this ignore?',
        description: 'The finding counts again in the images it applies to; the ignore stays in the history.',
        okText: 'Lift',
        onConfirm: onLift,
      }}
    >
      Lift
    </GuardedButton>
  );
}

/**
 * The ignored sensitive-information findings (`GET handling/secret-ignores`, newest first), with
 * the lifted ones on request (the history), lifting one (`DELETE …/:ignoreId`, after a
 * confirmation) and ignoring another finding.
 */
export function SecretIgnoresCard({ projectId }: { readonly projectId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [includeRemoved, setIncludeRemoved] = useState(false);
  const dialog = useDialogState<null>();
  const base = `/projects/${encodeURIComponent(projectId)}/handling/secret-ignores`;
  const ignores = useQuery({
    queryKey: handlingQueryKeys.secretIgnores(projectId, includeRemoved),
    queryFn: ({ signal }) => api.get<SecretIgnoreList>(base, { includeRemoved }, signal),
  });
  const lift = useMutation({
    mutationFn: (ignore: SecretIgnore) =>
      api.request<SecretIgnore>('DELETE', `${base}/${encodeURIComponent(ignore.id)}`),
    onSuccess: (lifted) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.project(projectId) });
      void message.success(`Lifted the ignore of ${lifted.ruleId} at ${lifted.path}.`);
    },
    onError: (error) => void message.error(describeError(error)),
  });

  const columns: TableColumnsType<SecretIgnore> = [
    {
      title: 'Rule',
      key: 'rule',
      width: 180,
      render: (_value, ignore) => <span className="mono">{ignore.ruleId}</span>,
    },
    {
      title: 'Path',
      key: 'path',
      render: (_value, ignore) => (
        <Typography.Text className="mono" ellipsis={{ tooltip: ignore.path }}>
          {ignore.path}
        </Typography.Text>
      ),
    },
    {
      title: 'In',
      key: 'image',
      width: 120,
      render: (_value, ignore) =>
        ignore.imageId === null ? (
          'Every image'
        ) : (
          <Link
            to={`/projects/${encodeURIComponent(projectId)}/images/${encodeURIComponent(ignore.imageId)}`}
          >
            One image
          </Link>
        ),
    },
    { title: 'Reason', dataIndex: 'reason', key: 'reason', ellipsis: { showTitle: true } },
    {
      title: 'By',
      key: 'by',
      width: 150,
      render: (_value, ignore) => (
        <Flex vertical>
          <span>{ignore.userName}</span>
          <TimeCell value={ignore.at} />
        </Flex>
      ),
    },
    ...(includeRemoved
      ? [
          {
            title: 'Lifted',
            key: 'removedAt',
            width: 130,
            render: (_value: unknown, ignore: SecretIgnore) =>
              ignore.removedAt === null ? (
                <Tag color="gold">Active</Tag>
              ) : (
                <TimeCell value={ignore.removedAt} />
              ),
          },
        ]
      : []),
    {
      title: '',
      key: 'actions',
      width: 90,
      render: (_value, ignore) => <LiftButton ignore={ignore} onLift={() => lift.mutate(ignore)} />,
    },
  ];

  return (
    <Card
      title="Ignored findings"
      data-testid="secret-ignores-card"
      extra={
        <Flex gap={12} align="center">
          <Flex gap={6} align="center">
            <Switch
              size="small"
              checked={includeRemoved}
              onChange={setIncludeRemoved}
              aria-label="Show lifted ignores"
            />
            <span>Show lifted</span>
          </Flex>
          <GuardedButton
            permission="results:handle"
            type="primary"
            icon={<EyeInvisibleOutlined />}
            onClick={() => dialog.show(null)}
          >
            Ignore a finding
          </GuardedButton>
        </Flex>
      }
    >
      {ignores.isError ? (
        <ErrorState error={ignores.error} onRetry={() => void ignores.refetch()} />
      ) : (
        <Table<SecretIgnore>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={[...(ignores.data?.ignores ?? [])]}
          loading={ignores.isPending}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{
            emptyText: ignores.isPending ? (
              ' '
            ) : (
              <EmptyState
                title={includeRemoved ? 'Nothing was ever ignored' : 'No ignored findings'}
                description="Ignore a finding that is not a secret (a test key, a documented example) so it no longer counts."
              />
            ),
          }}
        />
      )}
      <SecretIgnoreDialog key={dialog.key} open={dialog.open} projectId={projectId} onClose={dialog.close} />
    </Card>
  );
}
