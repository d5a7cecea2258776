import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import { describeError, isConsoleApiError } from '../api/api-error.ts';
import { isConsolePath } from '../shell/sign-in-path.ts';

interface SignInForm {
  readonly name: string;
  readonly password: string;
}

/** Why a sign-in failed, in words for the person at the form. */
function failureText(error: unknown): string {
  if (isConsoleApiError(error)) {
    if (error.code === 'authentication_failed') return 'The name or the password is wrong.';
    if (error.code === 'login_locked' || error.code === 'rate_limited')
      return `Too many attempts: ${error.message}`;
  }
  return describeError(error);
}

/** `/sign-in`: a local user signs in; the session cookie and the CSRF token come back. */
export function SignInPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const next = search.get('next');
  const signIn = useMutation({
    mutationFn: (values: SignInForm) => api.signIn(values.name, values.password),
    onSuccess: () => {
      queryClient.clear();
      void navigate(next !== null && isConsolePath(next) ? next : '/', { replace: true });
    },
  });
  return (
    <Flex justify="center" align="center" style={{ minHeight: '100vh', background: '#f0f2f5' }}>
      <Card style={{ width: 380 }}>
        <Flex vertical align="center" gap={4} style={{ marginBottom: 24 }}>
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <Typography.Title level={3} style={{ margin: 0 }}>
            Sign in to Drydock
          </Typography.Title>
          <Typography.Text type="secondary">Container image security</Typography.Text>
        </Flex>
        <Form<SignInForm>
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => signIn.mutate(values)}
          aria-label="Sign in"
        >
          <Form.Item
            name="name"
            label="User name"
            rules={[{ required: true, message: 'Enter your user name' }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label="Password"
            rules={[{ required: true, message: 'Enter your password' }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          {signIn.isError ? (
            <Alert type="error" showIcon title={failureText(signIn.error)} style={{ marginBottom: 16 }} />
          ) : null}
          <Button type="primary" htmlType="submit" block loading={signIn.isPending}>
            Sign in
          </Button>
        </Form>
      </Card>
    </Flex>
  );
}
