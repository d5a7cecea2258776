import { Button, Flex, Form, Input } from 'antd';
import { minPasswordLength } from '../api/identity-types.ts';
import { randomPassword } from './random-password.ts';

/**
 * A password an administrator sets for someone else, with "Generate": shown in clear text so it
 * can be handed on (the user then changes it from the user menu).
 */
export function PasswordField({ name, label }: { readonly name: string; readonly label: string }) {
  const form = Form.useFormInstance();
  return (
    <Form.Item
      label={label}
      required
      extra={`At least ${minPasswordLength} characters. Hand it on safely; the user can change it after signing in.`}
    >
      <Flex gap={8}>
        <Form.Item
          name={name}
          noStyle
          rules={[
            { required: true, message: 'Enter or generate a password' },
            { min: minPasswordLength, message: `At least ${minPasswordLength} characters` },
            { max: 1024 },
          ]}
        >
          <Input autoComplete="new-password" aria-label={label} className="mono" />
        </Form.Item>
        <Button onClick={() => form.setFieldValue(name, randomPassword())}>Generate</Button>
      </Flex>
    </Form.Item>
  );
}
