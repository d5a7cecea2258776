import { DeleteOutlined, UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ReasonedButton } from '../access/reasoned-button.tsx';
import { useMe } from '../access/use-me.ts';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import type { User, UserUpdate } from '../api/identity-types.ts';
import { TimeCell } from '../format/time-cell.tsx';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { useDialogState } from '../states/use-dialog-state.ts';
import { peopleQueryKeys } from './people-query-keys.ts';
import { SetPasswordDialog } from './set-password-dialog.tsx';
import { UserDialog } from './user-dialog.tsx';
import { userStatus } from './user-status.ts';

const selfReason = 'This is your own account: another service administrator must do this.';

/**
 * Every user account of the service (service administrators only): create one with an initial
 * password, set a new password, disable or enable, delete (with a confirmation; its sessions,
 * tokens and roles go with it). The caller's own account is left to another administrator.
 */
export function UsersPanel({
  users,
  error,
  loading,
  onRetry,
}: {
  readonly users: readonly User[] | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  readonly onRetry: () => void;
}) {
  const api = useApi();
  const me = useMe();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const createDialog = useDialogState<true>();
  const passwordDialog = useDialogState<User>();
  const update = useMutation({
    mutationFn: ({ user, change }: { readonly user: User; readonly change: UserUpdate }) =>
      api.patch<User>(`/users/${encodeURIComponent(user.id)}`, change),
    onSuccess: (user) => {
      void queryClient.invalidateQueries({ queryKey: peopleQueryKeys.users() });
      void message.success(`User "${user.name}" ${user.disabled ? 'disabled' : 'enabled'}.`);
    },
    onError: (error) => void message.error(describeError(error)),
  });
  const remove = useMutation({
    mutationFn: (user: User) => api.command('DELETE', `/users/${encodeURIComponent(user.id)}`),
    onSuccess: (_nothing, user) => {
      // Deleting a user takes its roles in every project away too.
      void queryClient.invalidateQueries({ queryKey: peopleQueryKeys.users() });
      void queryClient.invalidateQueries({ queryKey: ['project'] });
      void message.success(`User "${user.name}" deleted.`);
    },
    onError: (error) => void message.error(describeError(error)),
  });
  const selfId = me.data?.user.id;

  const columns: TableColumnsType<User> = [
    {
      title: 'User',
      key: 'user',
      render: (_value, user) => (
        <Flex vertical>
          <Typography.Text strong>{user.displayName || user.name}</Typography.Text>
          <Typography.Text type="secondary">{user.name}</Typography.Text>
        </Flex>
      ),
    },
    {
      title: 'Status',
      key: 'status',
      width: 200,
      render: (_value, user) => {
        const status = userStatus(user);
        return (
          <Flex gap={4} wrap>
            <Tag color={status.color} data-status={status.key}>
              {status.label}
            </Tag>
            {user.serviceAdmin ? <Tag color="gold">Service administrator</Tag> : null}
          </Flex>
        );
      },
    },
    {
      title: 'Created',
      key: 'createdAt',
      width: 130,
      render: (_value, user) => <TimeCell value={user.createdAt} />,
    },
    {
      title: 'Password set',
      key: 'passwordChangedAt',
      width: 130,
      render: (_value, user) => <TimeCell value={user.passwordChangedAt} />,
    },
    {
      title: 'Id',
      key: 'id',
      width: 120,
      render: (_value, user) => (
        <Typography.Text className="mono" copyable={{ text: user.id }} ellipsis={{ tooltip: user.id }}>
          {user.id.slice(0, 8)}
        </Typography.Text>
      ),
    },
    {
      title: 'Actions',
      key: 'actions',
      width: 280,
      render: (_value, user) => {
        const reason = user.id === selfId ? selfReason : undefined;
        return (
          <Flex gap={4}>
            <Button size="small" onClick={() => passwordDialog.show(user)}>
              Set password
            </Button>
            <ReasonedButton
              reason={reason}
              size="small"
              loading={update.isPending && update.variables.user.id === user.id}
              onClick={() => update.mutate({ user, change: { disabled: !user.disabled } })}
            >
              {user.disabled ? 'Enable' : 'Disable'}
            </ReasonedButton>
            <ReasonedButton
              reason={reason}
              size="small"
              danger
              icon={<DeleteOutlined />}
              aria-label={`Delete user ${user.name}`}
              loading={remove.isPending && remove.variables.id === user.id}
              confirm={{
                title: `Delete the user ${user.name}?`,
                description: 'Their sessions, API tokens and roles in every project are deleted with them.',
                okText: 'Delete',
                onConfirm: () => remove.mutate(user),
              }}
            />
          </Flex>
        );
      },
    },
  ];

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center">
        <Typography.Text type="secondary">
          The service's local accounts. A new user sees nothing until they get a role in a project.
        </Typography.Text>
        <Button type="primary" icon={<UserAddOutlined />} onClick={() => createDialog.show(true)}>
          Create user
        </Button>
      </Flex>
      {error !== undefined && error !== null ? (
        <ErrorState error={error} onRetry={onRetry} />
      ) : (
        <Table<User>
          rowKey="id"
          columns={columns}
          dataSource={users ? [...users] : []}
          loading={loading}
          pagination={false}
          aria-label="User accounts"
          locale={{ emptyText: loading ? ' ' : <EmptyState title="No users" /> }}
        />
      )}
      <UserDialog key={createDialog.key} open={createDialog.open} onClose={createDialog.close} />
      <SetPasswordDialog
        key={`password-${passwordDialog.key}`}
        open={passwordDialog.open}
        user={passwordDialog.value}
        onClose={passwordDialog.close}
      />
    </Flex>
  );
}
