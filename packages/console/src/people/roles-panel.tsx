import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { GuardedButton } from '../access/guarded-button.tsx';
import { permissions } from '../access/permissions.ts';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import type { Member, Role } from '../api/identity-types.ts';
import { ErrorState } from '../states/error-state.tsx';
import { useDialogState } from '../states/use-dialog-state.ts';
import { PermissionMark } from './permission-mark.tsx';
import { peopleQueryKeys } from './people-query-keys.ts';
import { RoleDialog } from './role-dialog.tsx';

/** The resources the permissions are about, in the order of the permission list. */
const resources = [...new Set(permissions.map((permission) => permission.split(':')[0] ?? ''))];
const permissionColumnWidth = 76;
const fixedColumnsWidth = 150 + 110;

function memberCount(count: number | undefined): string {
  if (count === undefined) return '…';
  return count === 1 ? '1 member' : `${count} members`;
}

const builtInReason = 'Built-in roles cannot be changed; create a custom role instead.';

/**
 * The project's roles as a matrix of their permissions: the built-in ones (fixed) and the custom
 * ones, which can be created, edited and deleted (with a confirmation; the service refuses while
 * members hold the role, and the panel says how many do).
 */
export function RolesPanel({
  projectId,
  roles,
  members,
  error,
  loading,
  onRetry,
}: {
  readonly projectId: string;
  readonly roles: readonly Role[];
  /** undefined while loading (the member counts are then left out). */
  readonly members: readonly Member[] | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  readonly onRetry: () => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const dialog = useDialogState<{ readonly editing: Role | undefined }>();
  const remove = useMutation({
    mutationFn: (role: Role) =>
      api.command(
        'DELETE',
        `/projects/${encodeURIComponent(projectId)}/roles/${encodeURIComponent(role.id)}`,
      ),
    onSuccess: (_nothing, role) => {
      void queryClient.invalidateQueries({ queryKey: peopleQueryKeys.roles(projectId) });
      void message.success(`Role "${role.name}" deleted.`);
    },
    onError: (error) => void message.error(describeError(error)),
  });
  const holders = (role: Role) => members?.filter((member) => member.role === role.id).length;

  const columns: TableColumnsType<Role> = [
    {
      title: 'Role',
      key: 'name',
      fixed: 'left',
      width: 150,
      render: (_value, role) => (
        <Flex vertical align="flex-start" gap={2}>
          <Typography.Text strong>{role.name}</Typography.Text>
          <Tag color={role.builtIn ? 'blue' : 'purple'} style={{ marginInlineEnd: 0 }}>
            {role.builtIn ? 'Built-in' : 'Custom'}
          </Tag>
          <Typography.Text type="secondary" data-members={holders(role)}>
            {memberCount(holders(role))}
          </Typography.Text>
        </Flex>
      ),
    },
    // One column group per resource (`images`), one column per action (`list`, `get`, `set`).
    ...resources.map((resource) => ({
      title: <span style={{ fontSize: 11, whiteSpace: 'nowrap' }}>{resource}</span>,
      key: resource,
      align: 'center' as const,
      children: permissions
        .filter((permission) => permission.startsWith(`${resource}:`))
        .map((permission) => ({
          title: permission.slice(resource.length + 1),
          key: permission,
          align: 'center' as const,
          width: permissionColumnWidth,
          render: (_value: unknown, role: Role) => (
            <PermissionMark permission={permission} held={role.permissions.includes(permission)} />
          ),
        })),
    })),
    {
      title: 'Actions',
      key: 'actions',
      fixed: 'right',
      width: 110,
      render: (_value, role) => {
        const held = holders(role) ?? 0;
        const reason = role.builtIn
          ? builtInReason
          : held > 0
            ? `${held} ${held === 1 ? 'member holds' : 'members hold'} this role; give them another role first.`
            : undefined;
        return (
          <Flex gap={4}>
            <GuardedButton
              permission="iam:set"
              size="small"
              unavailableReason={role.builtIn ? builtInReason : undefined}
              onClick={() => dialog.show({ editing: role })}
            >
              Edit
            </GuardedButton>
            <GuardedButton
              permission="iam:set"
              size="small"
              danger
              icon={<DeleteOutlined />}
              aria-label={`Delete role ${role.name}`}
              unavailableReason={reason}
              loading={remove.isPending && remove.variables.id === role.id}
              confirm={{
                title: `Delete the role ${role.name}?`,
                description: 'Nobody holds it; it is gone for good.',
                okText: 'Delete',
                onConfirm: () => remove.mutate(role),
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
          A role is a set of permissions. The built-in roles are fixed; custom roles hold any set.
        </Typography.Text>
        <GuardedButton
          permission="iam:set"
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => dialog.show({ editing: undefined })}
        >
          Create role
        </GuardedButton>
      </Flex>
      {error !== undefined && error !== null ? (
        <ErrorState error={error} onRetry={onRetry} />
      ) : (
        <Table<Role>
          rowKey="id"
          size="small"
          bordered
          columns={columns}
          dataSource={[...roles]}
          loading={loading}
          pagination={false}
          scroll={{ x: fixedColumnsWidth + permissions.length * permissionColumnWidth }}
          aria-label="Roles"
        />
      )}
      <RoleDialog
        key={dialog.key}
        open={dialog.open}
        projectId={projectId}
        editing={dialog.value?.editing}
        onClose={dialog.close}
      />
    </Flex>
  );
}
