import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Switch } from 'antd';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import type { User, UserInput } from '../api/identity-types.ts';
import { PasswordField } from './password-field.tsx';
import { peopleQueryKeys } from './people-query-keys.ts';

interface UserForm {
  readonly name: string;
  readonly displayName?: string;
  readonly password: string;
  readonly serviceAdmin: boolean;
}

/** The API's rule for user names (server access/user-accounts.ts), checked here to say it early. */
const userNamePattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/**
 * Creates a local user with an initial password (`POST /users`, service administrators). The new
 * user holds no role yet: the Members tab gives them one in a project.
 */
export function UserDialog({ open, onClose }: { readonly open: boolean; readonly onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<UserForm>();
  const create = useMutation({
    mutationFn: (input: UserInput) => api.post<User>('/users', input),
    onSuccess: (user) => {
      void queryClient.invalidateQueries({ queryKey: peopleQueryKeys.users() });
      void message.success(`User "${user.name}" created; give them a role in the Members tab.`);
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title="Create user"
      okText="Create user"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      afterClose={() => create.reset()}
      destroyOnHidden
    >
      <Form<UserForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ serviceAdmin: false }}
        onFinish={(values) =>
          create.mutate({
            name: values.name.trim(),
            displayName: values.displayName?.trim() ?? '',
            password: values.password,
            serviceAdmin: values.serviceAdmin,
          })
        }
        aria-label="User"
      >
        <Form.Item
          name="name"
          label="User name"
          rules={[
            { required: true, message: 'Enter the name they sign in with' },
            { pattern: userNamePattern, message: '1–64 letters, digits, dots, @, dashes or underscores' },
          ]}
        >
          <Input autoComplete="off" placeholder="dana or dana@example.com" />
        </Form.Item>
        <Form.Item name="displayName" label="Display name" rules={[{ max: 200 }]}>
          <Input autoComplete="off" placeholder="Dana Developer" />
        </Form.Item>
        <PasswordField name="password" label="Initial password" />
        <Form.Item
          name="serviceAdmin"
          label="Service administrator"
          valuePropName="checked"
          extra="Manages user accounts and sees every project's audit log. Project access still comes from roles."
        >
          <Switch />
        </Form.Item>
      </Form>
      {create.isError ? <Alert type="error" showIcon title={describeError(create.error)} /> : null}
    </Modal>
  );
}
