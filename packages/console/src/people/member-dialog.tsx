import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useMe } from '../access/use-me.ts';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import type { Member, Role, User } from '../api/identity-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import { peopleQueryKeys } from './people-query-keys.ts';

interface MemberForm {
  readonly userId: string;
  readonly role: string;
}

/**
 * Gives a user a role in the project (`PUT members/{userId}`), replacing the one it held: adds a
 * member, or changes a member's role (`editing`). Service administrators pick the user from the
 * accounts; others (who may not list accounts) enter the user's id.
 */
export function MemberDialog({
  open,
  projectId,
  editing,
  roles,
  users,
  members,
  onClose,
}: {
  readonly open: boolean;
  readonly projectId: string;
  readonly editing: Member | undefined;
  readonly roles: readonly Role[];
  /** undefined when the caller may not list user accounts. */
  readonly users: readonly User[] | undefined;
  readonly members: readonly Member[];
  readonly onClose: () => void;
}) {
  const api = useApi();
  const me = useMe();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<MemberForm>();
  const save = useMutation({
    mutationFn: (values: MemberForm) =>
      api.request<Member>(
        'PUT',
        `/projects/${encodeURIComponent(projectId)}/members/${encodeURIComponent(values.userId.trim())}`,
        { body: { role: values.role } },
      ),
    onSuccess: (member) => {
      void queryClient.invalidateQueries({ queryKey: peopleQueryKeys.members(projectId) });
      if (member.userId === me.data?.user.id)
        void queryClient.invalidateQueries({ queryKey: queryKeys.me(), exact: true });
      void message.success(`${member.displayName || member.userName} is now ${member.roleName}.`);
      onClose();
    },
  });
  const memberIds = new Set(members.map((member) => member.userId));
  const userOptions = (users ?? [])
    .filter((user) => !memberIds.has(user.id))
    .map((user) => ({
      value: user.id,
      label: user.displayName ? `${user.displayName} (${user.name})` : user.name,
      disabled: user.disabled,
    }));
  return (
    <Modal
      open={open}
      title={editing ? `Change the role of ${editing.displayName || editing.userName}` : 'Add member'}
      okText={editing ? 'Save' : 'Add member'}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      afterClose={() => save.reset()}
      destroyOnHidden
    >
      <Form<MemberForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={editing ? { userId: editing.userId, role: editing.role } : { role: 'viewer' }}
        onFinish={(values) => save.mutate(values)}
        aria-label="Member"
      >
        {editing ? (
          <Form.Item name="userId" hidden>
            <Input />
          </Form.Item>
        ) : users ? (
          <Form.Item name="userId" label="User" rules={[{ required: true, message: 'Choose a user' }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={userOptions}
              placeholder="Choose a user"
              notFoundContent="Every user is a member already"
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="userId"
            label="User id"
            rules={[{ required: true, message: 'Enter the user id' }]}
            extra="Only service administrators can list user accounts: ask one for the user's id."
          >
            <Input />
          </Form.Item>
        )}
        <Form.Item name="role" label="Role" rules={[{ required: true }]}>
          <Select
            options={roles.map((role) => ({
              value: role.id,
              label: `${role.name}${role.builtIn ? '' : ' (custom)'} · ${role.permissions.length} permissions`,
            }))}
          />
        </Form.Item>
      </Form>
      {save.isError ? <Alert type="error" showIcon title={describeError(save.error)} /> : null}
    </Modal>
  );
}
