import { App, Form, Input, Modal } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';

interface PasswordForm {
  readonly currentPassword: string;
  readonly newPassword: string;
  readonly confirmPassword: string;
}

/** Changes the signed-in user's password (`PUT /me/password`); the service ends its other sessions. */
export function ChangePasswordDialog({
  open,
  onClose,
}: {
  readonly open: boolean;
  readonly onClose: () => void;
}) {
  const api = useApi();
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordForm>();
  const change = useMutation({
    mutationFn: (values: PasswordForm) =>
      api.command('PUT', '/me/password', {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      }),
    onSuccess: () => {
      void message.success('Password changed; your other sessions were signed out.');
      form.resetFields();
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title="Change password"
      okText="Change password"
      onOk={() => form.submit()}
      onCancel={() => {
        change.reset();
        onClose();
      }}
      confirmLoading={change.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(values) => change.mutate(values)}
        requiredMark={false}
      >
        <Form.Item name="currentPassword" label="Current password" rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label="New password" rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label="New password again"
          dependencies={['newPassword']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: async (_rule, value) => {
                if (value !== getFieldValue('newPassword')) throw new Error('The two new passwords differ');
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {change.isError ? (
          <div role="alert" className="form-error">
            {describeError(change.error)}
          </div>
        ) : null}
      </Form>
    </Modal>
  );
}
