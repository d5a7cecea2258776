import { DeleteOutlined, UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Flex, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { GuardedButton } from '../access/guarded-button.tsx';
import { useMe } from '../access/use-me.ts';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import type { Member, Role, User } from '../api/identity-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { useDialogState } from '../states/use-dialog-state.ts';
import { MemberDialog } from './member-dialog.tsx';
import { peopleQueryKeys } from './people-query-keys.ts';
import { useMembers } from './use-people.ts';

/**
 * Who holds which role in the project: add a member, change a member's role, take it away (with
 * a confirmation, which warns when it is the caller's own).
 */
export function MembersPanel({
  projectId,
  roles,
  users,
}: {
  readonly projectId: string;
  readonly roles: readonly Role[];
  /** undefined when the caller may not list user accounts. */
  readonly users: readonly User[] | undefined;
}) {
  const api = useApi();
  const me = useMe();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const members = useMembers(projectId);
  const dialog = useDialogState<{ readonly editing: Member | undefined }>();
  const remove = useMutation({
    mutationFn: (member: Member) =>
      api.command(
        'DELETE',
        `/projects/${encodeURIComponent(projectId)}/members/${encodeURIComponent(member.userId)}`,
      ),
    onSuccess: (_nothing, member) => {
      void queryClient.invalidateQueries({ queryKey: peopleQueryKeys.members(projectId) });
      if (member.userId === me.data?.user.id)
        void queryClient.invalidateQueries({ queryKey: queryKeys.me(), exact: true });
      void message.success(`${member.displayName || member.userName} is no longer a member.`);
    },
    onError: (error) => void message.error(describeError(error)),
  });
  const customRoleIds = new Set(roles.filter((role) => !role.builtIn).map((role) => role.id));

  const columns: TableColumnsType<Member> = [
    {
      title: 'User',
      key: 'user',
      render: (_value, member) => (
        <Flex vertical>
          <Typography.Text strong>{member.displayName || member.userName}</Typography.Text>
          <Typography.Text type="secondary">{member.userName}</Typography.Text>
        </Flex>
      ),
    },
    {
      title: 'Role',
      key: 'role',
      width: 180,
      render: (_value, member) => (
        <Tag color={customRoleIds.has(member.role) ? 'purple' : 'blue'} data-role={member.roleName}>
          {member.roleName}
        </Tag>
      ),
    },
    {
      title: 'Permissions',
      key: 'permissions',
      render: (_value, member) => (
        <Tooltip title={member.permissions.join(', ')}>
          <span>
            {member.permissions.length} {member.permissions.length === 1 ? 'permission' : 'permissions'}
          </span>
        </Tooltip>
      ),
    },
    {
      title: 'Actions',
      key: 'actions',
      width: 200,
      render: (_value, member) => (
        <Flex gap={4}>
          <GuardedButton permission="iam:set" size="small" onClick={() => dialog.show({ editing: member })}>
            Change role
          </GuardedButton>
          <GuardedButton
            permission="iam:set"
            size="small"
            danger
            icon={<DeleteOutlined />}
            aria-label={`Remove ${member.userName}`}
            loading={remove.isPending && remove.variables.userId === member.userId}
            confirm={{
              title: `Remove ${member.displayName || member.userName} from the project?`,
              description:
                member.userId === me.data?.user.id
                  ? 'This is you: you lose your access to this project.'
                  : 'They lose their access to this project; their account stays.',
              okText: 'Remove',
              onConfirm: () => remove.mutate(member),
            }}
          />
        </Flex>
      ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center">
        <Typography.Text type="secondary">
          Each member holds one role in this project; it decides what they may see and do here.
        </Typography.Text>
        <GuardedButton
          permission="iam:set"
          type="primary"
          icon={<UserAddOutlined />}
          onClick={() => dialog.show({ editing: undefined })}
        >
          Add member
        </GuardedButton>
      </Flex>
      {members.isError ? (
        <ErrorState error={members.error} onRetry={() => void members.refetch()} />
      ) : (
        <Table<Member>
          rowKey="userId"
          columns={columns}
          dataSource={members.data ?? []}
          loading={members.isPending}
          pagination={false}
          aria-label="Members"
          locale={{
            emptyText: members.isPending ? (
              ' '
            ) : (
              <EmptyState title="No members" description="Add a user and give them a role." />
            ),
          }}
        />
      )}
      <MemberDialog
        key={dialog.key}
        open={dialog.open}
        projectId={projectId}
        editing={dialog.value?.editing}
        roles={roles}
        users={users}
        members={members.data ?? []}
        onClose={dialog.close}
      />
    </Flex>
  );
}
