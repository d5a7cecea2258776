import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { Permission } from '../access/permissions.ts';
import { useMe } from '../access/use-me.ts';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import type { ApiTokenInput, CreatedApiToken } from '../api/identity-types.ts';
import { PermissionGrid } from '../people/permission-grid.tsx';
import { expiryOf, tokenLifetimeLabels, tokenLifetimes, type TokenLifetime } from './token-expiry.ts';
import { tokenQueryKeys } from './token-query-keys.ts';

interface TokenForm {
  readonly name: string;
  readonly lifetime: TokenLifetime;
  readonly date?: Dayjs;
  readonly scope: 'project' | 'all';
  readonly access: 'all' | 'some';
  readonly permissions?: readonly Permission[];
}

function inputOf(values: TokenForm, projectId: string): ApiTokenInput {
  return {
    name: values.name.trim(),
    expiresAt: expiryOf(values.lifetime, values.date),
    ...(values.scope === 'project' ? { projectId } : {}),
    ...(values.access === 'some' ? { permissions: values.permissions ?? [] } : {}),
  };
}

/**
 * Creates an API token (`POST /me/tokens`): a name, how long it lives, the projects it reaches and
 * the permissions it may use. It can never do more than the user's roles allow, then or later.
 * The reply holds the secret, which goes to `onCreated` to be shown once.
 */
export function TokenDialog({
  open,
  projectId,
  projectName,
  onClose,
  onCreated,
}: {
  readonly open: boolean;
  readonly projectId: string;
  readonly projectName: string;
  readonly onClose: () => void;
  readonly onCreated: (created: CreatedApiToken) => void;
}) {
  const api = useApi();
  const me = useMe();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<TokenForm>();
  const create = useMutation({
    mutationFn: (input: ApiTokenInput) => api.post<CreatedApiToken>('/me/tokens', input),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: tokenQueryKeys.tokens() });
      onCreated(created);
    },
  });
  const held = new Set(
    me.data?.projects.find((project) => project.projectId === projectId)?.permissions ?? [],
  );
  const hint = (permission: Permission) =>
    held.has(permission) ? undefined : 'you do not hold it in this project, so the token cannot use it here';

  return (
    <Modal
      open={open}
      title="Create API token"
      okText="Create token"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      afterClose={() => create.reset()}
      destroyOnHidden
      width={620}
    >
      <Form<TokenForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ lifetime: '90', scope: 'project', access: 'all', permissions: [...held] }}
        onFinish={(values) => create.mutate(inputOf(values, projectId))}
        aria-label="API token"
      >
        <Form.Item
          name="name"
          label="Name"
          rules={[{ required: true, whitespace: true, message: 'Name the token' }, { max: 100 }]}
          extra="Say where it is used, so you know what breaks when you revoke it."
        >
          <Input placeholder="ci-pipeline" autoComplete="off" />
        </Form.Item>
        <Form.Item name="lifetime" label="Expires">
          <Select options={tokenLifetimes.map((value) => ({ value, label: tokenLifetimeLabels[value] }))} />
        </Form.Item>
        <Form.Item noStyle dependencies={['lifetime']}>
          {({ getFieldValue }) =>
            getFieldValue('lifetime') === 'date' ? (
              <Form.Item
                name="date"
                label="Last day"
                rules={[{ required: true, message: 'Choose the last day it works' }]}
              >
                <DatePicker disabledDate={(day) => day.isBefore(dayjs(), 'day')} />
              </Form.Item>
            ) : null
          }
        </Form.Item>
        <Form.Item name="scope" label="Projects">
          <Radio.Group
            options={[
              { value: 'project', label: `Only ${projectName}` },
              { value: 'all', label: 'Every project I hold a role in' },
            ]}
          />
        </Form.Item>
        <Form.Item name="access" label="Permissions">
          <Radio.Group
            options={[
              { value: 'all', label: 'All of mine' },
              { value: 'some', label: 'Only these' },
            ]}
          />
        </Form.Item>
        <Form.Item noStyle dependencies={['access']}>
          {({ getFieldValue }) =>
            getFieldValue('access') === 'some' ? (
              <Form.Item
                name="permissions"
                rules={[
                  {
                    validator: async (_rule, value: unknown) => {
                      if (!Array.isArray(value) || value.length === 0)
                        throw new Error('Tick at least one permission');
                    },
                  },
                ]}
                extra="A token never does more than your roles allow, and loses what your roles lose."
              >
                <PermissionGrid hint={hint} />
              </Form.Item>
            ) : null
          }
        </Form.Item>
      </Form>
      {create.isError ? <Alert type="error" showIcon title={describeError(create.error)} /> : null}
    </Modal>
  );
}
