import { DeleteOutlined, PlusOutlined, SyncOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Flex, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { GuardedButton } from '../access/guarded-button.tsx';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import { queryKeys } from '../api/query-keys.ts';
import type { ConnectionStatus, ConnectionTestResult, RegistryConnection } from '../api/registry-types.ts';
import { TimeCell } from '../format/time-cell.tsx';
import { registryTypeLabels } from '../format/registry-type.ts';
import { RegistryFormDialog } from '../registries/registry-form-dialog.tsx';
import { useRegistries } from '../registries/use-registries.ts';
import { useCurrentProjectId } from '../shell/use-project-id.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';
import { useDialogState } from '../states/use-dialog-state.ts';
import { useSyncRunner } from '../tasks/use-sync-runner.ts';

const statusTags: Readonly<Record<ConnectionStatus, { readonly color: string; readonly label: string }>> = {
  ok: { color: 'success', label: 'Connected' },
  failed: { color: 'error', label: 'Failed' },
  checking: { color: 'processing', label: 'Checking' },
  unknown: { color: 'default', label: 'Not tested' },
};

function StatusTag({ registry }: { readonly registry: RegistryConnection }) {
  const { color, label } = statusTags[registry.status];
  const tag = <Tag color={color}>{label}</Tag>;
  if (registry.status !== 'failed') return tag;
  return (
    <Tooltip title={[registry.statusReason, registry.statusMessage].filter(Boolean).join(': ')}>
      <span>{tag}</span>
    </Tooltip>
  );
}

/** Registries: the project's registry connections, their status, and add, edit, test, sync and remove. */
export function RegistriesPage() {
  const projectId = useCurrentProjectId();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const registries = useRegistries(projectId);
  const sync = useSyncRunner(projectId);
  const dialog = useDialogState<{ readonly editing: RegistryConnection | undefined }>();
  const base = `/projects/${encodeURIComponent(projectId)}/registries`;

  const test = useMutation({
    mutationFn: (registry: RegistryConnection) =>
      api.post<ConnectionTestResult>(`${base}/${encodeURIComponent(registry.id)}/test`),
    onSuccess: (result, registry) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.registries(projectId) });
      if (result.ok) void message.success(`${registry.name}: connection works.`);
      else
        void message.error(`${registry.name}: ${[result.code, result.message].filter(Boolean).join(': ')}`);
    },
    onError: (error, registry) => void message.error(`${registry.name}: ${describeError(error)}`),
  });
  const remove = useMutation({
    mutationFn: (registry: RegistryConnection) =>
      api.command('DELETE', `${base}/${encodeURIComponent(registry.id)}`),
    onSuccess: (_nothing, registry) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.project(projectId) });
      void message.success(`Registry "${registry.name}" removed with its images.`);
    },
    onError: (error) => void message.error(describeError(error)),
  });

  const columns: TableColumnsType<RegistryConnection> = [
    {
      title: 'Name',
      key: 'name',
      width: 200,
      render: (_value, registry) => (
        <Flex vertical gap={2} align="flex-start">
          <Typography.Text strong>{registry.name}</Typography.Text>
          <Tag style={{ marginInlineEnd: 0 }}>{registryTypeLabels[registry.type]}</Tag>
        </Flex>
      ),
    },
    { title: 'URL', dataIndex: 'url', key: 'url', ellipsis: { showTitle: true } },
    {
      title: 'Status',
      key: 'status',
      width: 120,
      render: (_value, registry) => <StatusTag registry={registry} />,
    },
    {
      title: 'Checked',
      key: 'checkedAt',
      width: 130,
      render: (_value, registry) => <TimeCell value={registry.checkedAt} fallback="Never" />,
    },
    {
      title: 'Credentials',
      key: 'credentials',
      width: 124,
      render: (_value, registry) => (registry.hasCredentials ? 'Stored' : 'None'),
    },
    {
      title: 'Actions',
      key: 'actions',
      width: 300,
      render: (_value, registry) => (
        <Flex gap={4} wrap>
          <GuardedButton
            permission="registries:set"
            size="small"
            loading={test.isPending && test.variables.id === registry.id}
            onClick={() => test.mutate(registry)}
          >
            Test connection
          </GuardedButton>
          <GuardedButton
            permission="registries:set"
            size="small"
            disabled={sync.running}
            onClick={() => sync.start([registry.id])}
          >
            Sync
          </GuardedButton>
          <GuardedButton
            permission="registries:set"
            size="small"
            onClick={() => dialog.show({ editing: registry })}
          >
            Edit
          </GuardedButton>
          <GuardedButton
            permission="registries:set"
            size="small"
            danger
            icon={<DeleteOutlined />}
            aria-label={`Remove ${registry.name}`}
            confirm={{
              title: `Remove ${registry.name}?`,
              description: 'Its images and their results are removed with it.',
              okText: 'Remove',
              onConfirm: () => remove.mutate(registry),
            }}
          />
        </Flex>
      ),
    },
  ];

  return (
    <PageFrame
      title="Registries"
      description="The registries whose images Drydock lists and scans."
      actions={
        <>
          <GuardedButton
            permission="registries:set"
            icon={<SyncOutlined spin={sync.running} />}
            loading={sync.running}
            onClick={() => sync.start()}
            unavailableReason={registries.data?.length === 0 ? 'Add a registry first.' : undefined}
          >
            Sync all
          </GuardedButton>
          <GuardedButton
            permission="registries:set"
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => dialog.show({ editing: undefined })}
          >
            Add registry
          </GuardedButton>
        </>
      }
    >
      {registries.isError ? (
        <ErrorState error={registries.error} onRetry={() => void registries.refetch()} />
      ) : (
        <Table<RegistryConnection>
          rowKey="id"
          columns={columns}
          dataSource={registries.data ?? []}
          loading={registries.isPending}
          pagination={false}
          locale={{
            emptyText: registries.isPending ? (
              ' '
            ) : (
              <EmptyState
                title="No registries connected"
                description="Connect a Harbor, JFrog Artifactory, Docker Hub or any OCI registry to list its images."
                action={
                  <GuardedButton
                    permission="registries:set"
                    type="primary"
                    onClick={() => dialog.show({ editing: undefined })}
                  >
                    Add registry
                  </GuardedButton>
                }
              />
            ),
          }}
        />
      )}
      <RegistryFormDialog
        key={dialog.key}
        open={dialog.open}
        projectId={projectId}
        editing={dialog.value?.editing}
        onClose={dialog.close}
      />
    </PageFrame>
  );
}
