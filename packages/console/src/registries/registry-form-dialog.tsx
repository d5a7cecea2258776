import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select, Switch } from 'antd';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import { registryTypes, type RegistryType } from '../api/image-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import type { RegistryConnection, RegistryCredentials, RegistryInput } from '../api/registry-types.ts';
import { registryTypeLabels } from '../format/registry-type.ts';

type CredentialChoice = 'keep' | RegistryCredentials['kind'];

interface RegistryForm {
  readonly name: string;
  readonly type: RegistryType;
  readonly url: string;
  readonly credentials: CredentialChoice;
  readonly username?: string;
  readonly password?: string;
  readonly token?: string;
  readonly skipTlsVerify: boolean;
  readonly include?: string;
  readonly exclude?: string;
  readonly namespaces?: string;
}

/** One glob or name per line (or comma), blanks dropped. */
function lines(value: string | undefined): readonly string[] {
  return (value ?? '')
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function credentialsOf(form: RegistryForm): RegistryCredentials | undefined {
  switch (form.credentials) {
    case 'keep':
      return undefined;
    case 'anonymous':
      return { kind: 'anonymous' };
    case 'basic':
      return { kind: 'basic', username: form.username ?? '', password: form.password ?? '' };
    case 'bearer':
      return { kind: 'bearer', token: form.token ?? '' };
  }
}

function inputOf(form: RegistryForm): RegistryInput {
  const credentials = credentialsOf(form);
  return {
    name: form.name.trim(),
    type: form.type,
    url: form.url.trim(),
    ...(credentials ? { credentials } : {}),
    skipTlsVerify: form.skipTlsVerify,
    include: lines(form.include),
    exclude: lines(form.exclude),
    namespaces: lines(form.namespaces),
  };
}

/**
 * Adds a registry connection, or edits one (`editing`). Credentials are write-only: editing keeps
 * the stored ones unless the user enters new ones.
 */
export function RegistryFormDialog({
  open,
  projectId,
  editing,
  onClose,
}: {
  readonly open: boolean;
  readonly projectId: string;
  readonly editing: RegistryConnection | undefined;
  readonly onClose: () => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<RegistryForm>();
  const base = `/projects/${encodeURIComponent(projectId)}/registries`;
  const save = useMutation({
    mutationFn: (input: RegistryInput) =>
      editing
        ? api.patch<RegistryConnection>(`${base}/${encodeURIComponent(editing.id)}`, input)
        : api.post<RegistryConnection>(base, input),
    onSuccess: (connection) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.registries(projectId) });
      void message.success(
        editing ? `Registry "${connection.name}" saved.` : `Registry "${connection.name}" added.`,
      );
      onClose();
    },
  });
  const initialValues: Partial<RegistryForm> = editing
    ? {
        name: editing.name,
        type: editing.type,
        url: editing.url,
        credentials: 'keep',
        skipTlsVerify: editing.skipTlsVerify,
        include: editing.include.join('\n'),
        exclude: editing.exclude.join('\n'),
        namespaces: editing.namespaces.join('\n'),
      }
    : { type: 'registry', credentials: 'anonymous', skipTlsVerify: false };
  return (
    <Modal
      open={open}
      title={editing ? `Edit registry ${editing.name}` : 'Add registry'}
      okText={editing ? 'Save' : 'Add registry'}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      afterClose={() => save.reset()}
      destroyOnHidden
      width={560}
    >
      <Form<RegistryForm>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        preserve={false}
        onFinish={(values) => save.mutate(inputOf(values))}
        aria-label="Registry"
      >
        <Form.Item name="name" label="Name" rules={[{ required: true, max: 128 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="type" label="Type" rules={[{ required: true }]}>
          <Select options={registryTypes.map((type) => ({ value: type, label: registryTypeLabels[type] }))} />
        </Form.Item>
        <Form.Item
          name="url"
          label="URL"
          rules={[{ required: true }, { type: 'url', message: 'An http:// or https:// address' }]}
        >
          <Input placeholder="https://registry.example.com" />
        </Form.Item>
        <Form.Item name="credentials" label="Credentials">
          <Select
            options={[
              ...(editing
                ? [
                    {
                      value: 'keep',
                      label: editing.hasCredentials ? 'Keep the stored credentials' : 'Keep: none',
                    },
                  ]
                : []),
              { value: 'anonymous', label: 'None (anonymous)' },
              { value: 'basic', label: 'User name and password (or robot account)' },
              { value: 'bearer', label: 'Token' },
            ]}
          />
        </Form.Item>
        <Form.Item noStyle dependencies={['credentials']}>
          {({ getFieldValue }) => {
            const kind: unknown = getFieldValue('credentials');
            if (kind === 'basic')
              return (
                <>
                  <Form.Item name="username" label="User name" rules={[{ required: true }]}>
                    <Input autoComplete="off" />
                  </Form.Item>
                  <Form.Item name="password" label="Password" rules={[{ required: true }]}>
                    <Input.Password autoComplete="new-password" />
                  </Form.Item>
                </>
              );
            if (kind === 'bearer')
              return (
                <Form.Item name="token" label="Token" rules={[{ required: true }]}>
                  <Input.Password autoComplete="off" />
                </Form.Item>
              );
            return null;
          }}
        </Form.Item>
        <Form.Item name="skipTlsVerify" label="Skip TLS verification" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="include" label="Include (repository/tag globs, one per line; empty = all)">
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="exclude" label="Exclude (globs, one per line)">
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item noStyle dependencies={['type']}>
          {({ getFieldValue }) =>
            getFieldValue('type') === 'dockerhub' ? (
              <Form.Item name="namespaces" label="Docker Hub namespaces to list (one per line)">
                <Input.TextArea rows={2} />
              </Form.Item>
            ) : null
          }
        </Form.Item>
      </Form>
      {save.isError ? <Alert type="error" showIcon title={describeError(save.error)} /> : null}
    </Modal>
  );
}
