import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal } from 'antd';
import type { Permission } from '../access/permissions.ts';
import { queryKeys } from '../api/query-keys.ts';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import { builtInRoles, type Role, type RoleInput } from '../api/identity-types.ts';
import { PermissionGrid } from './permission-grid.tsx';
import { peopleQueryKeys } from './people-query-keys.ts';

interface RoleForm {
  readonly name: string;
  readonly permissions: readonly Permission[];
}

/** The API's rule for role names (server access/project-roles.ts), checked here to say it early. */
const roleNamePattern = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;

/**
 * Creates a custom role (`POST roles`) or changes one (`PATCH roles/{roleId}`): a name and a set of
 * permissions ticked in the grid. Members holding the role get the new set at once.
 */
export function RoleDialog({
  open,
  projectId,
  editing,
  onClose,
}: {
  readonly open: boolean;
  readonly projectId: string;
  readonly editing: Role | undefined;
  readonly onClose: () => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<RoleForm>();
  const base = `/projects/${encodeURIComponent(projectId)}/roles`;
  const save = useMutation({
    mutationFn: (input: RoleInput) =>
      editing
        ? api.patch<Role>(`${base}/${encodeURIComponent(editing.id)}`, input)
        : api.post<Role>(base, input),
    onSuccess: (role) => {
      void queryClient.invalidateQueries({ queryKey: peopleQueryKeys.roles(projectId) });
      // Members of a changed role hold other permissions now, the caller perhaps among them.
      void queryClient.invalidateQueries({ queryKey: peopleQueryKeys.members(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.me(), exact: true });
      void message.success(editing ? `Role "${role.name}" saved.` : `Role "${role.name}" created.`);
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title={editing ? `Edit role ${editing.name}` : 'Create role'}
      okText={editing ? 'Save' : 'Create role'}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      afterClose={() => save.reset()}
      destroyOnHidden
      width={620}
    >
      <Form<RoleForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={
          editing ? { name: editing.name, permissions: editing.permissions } : { permissions: [] }
        }
        onFinish={(values) => save.mutate({ name: values.name.trim(), permissions: values.permissions })}
        aria-label="Role"
      >
        <Form.Item
          name="name"
          label="Name"
          rules={[
            { required: true, message: 'Name the role' },
            {
              pattern: roleNamePattern,
              message: '1–63 letters, digits, spaces, dots, dashes or underscores',
            },
            {
              validator: async (_rule, value: unknown) => {
                if (
                  typeof value === 'string' &&
                  (builtInRoles as readonly string[]).includes(value.trim().toLowerCase())
                )
                  throw new Error('The built-in role names are taken');
              },
            },
          ]}
        >
          <Input placeholder="auditor" />
        </Form.Item>
        <Form.Item
          name="permissions"
          label="Permissions"
          rules={[
            {
              validator: async (_rule, value: unknown) => {
                if (!Array.isArray(value) || value.length === 0)
                  throw new Error('Tick at least one permission');
              },
            },
          ]}
        >
          <PermissionGrid />
        </Form.Item>
      </Form>
      {save.isError ? <Alert type="error" showIcon title={describeError(save.error)} /> : null}
    </Modal>
  );
}
