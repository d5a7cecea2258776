import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Modal } from 'antd';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import type { User } from '../api/identity-types.ts';
import { PasswordField } from './password-field.tsx';
import { peopleQueryKeys } from './people-query-keys.ts';

/**
 * Sets another user's password (`PATCH /users/{userId}`), for one who forgot theirs: it also ends
 * their lockout and their sessions.
 */
export function SetPasswordDialog({
  open,
  user,
  onClose,
}: {
  readonly open: boolean;
  readonly user: User | undefined;
  readonly onClose: () => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ readonly password: string }>();
  const save = useMutation({
    mutationFn: ({ userId, password }: { readonly userId: string; readonly password: string }) =>
      api.patch<User>(`/users/${encodeURIComponent(userId)}`, { password }),
    onSuccess: (changed) => {
      void queryClient.invalidateQueries({ queryKey: peopleQueryKeys.users() });
      void message.success(`Password of "${changed.name}" set; their sessions were ended.`);
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title={`Set the password of ${user?.name ?? ''}`}
      okText="Set password"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      afterClose={() => save.reset()}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(values) => {
          if (user) save.mutate({ userId: user.id, password: values.password });
        }}
      >
        <PasswordField name="password" label="New password" />
      </Form>
      {save.isError ? <Alert type="error" showIcon title={describeError(save.error)} /> : null}
    </Modal>
  );
}
