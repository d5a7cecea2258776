import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Checkbox, Form, Input, Modal, Switch, Typography } from 'antd';
import { useApi } from '../api/api-context.tsx';
import { formFailureText, formFieldErrors } from '../api/api-field-errors.ts';
import { subscribableEvents, webhookEventLabels } from './webhook-labels.ts';
import { webhookQueryKeys } from './webhook-query-keys.ts';
import type { CreatedWebhook, Webhook, WebhookEvent, WebhookInput, WebhookUpdate } from './webhook-types.ts';
import { webhooksPath } from './use-webhooks.ts';

interface WebhookForm {
  readonly url: string;
  readonly events: readonly WebhookEvent[];
  readonly secret?: string;
  readonly enabled: boolean;
}

const formFields = ['url', 'events', 'secret', 'enabled'] as const;

/** The API's rules for a given secret (notifications/webhook-service.ts), checked before sending. */
const secretRules = [
  { min: 16, message: 'At least 16 characters: the secret keys the signature' },
  { max: 256 },
  { pattern: /^[\x21-\x7e]*$/, message: 'Printable ASCII without spaces' },
];

/**
 * Creates a webhook, or edits one (`editing`): its URL, the events it asks for and whether it is
 * enabled. A new webhook may be given a secret; without one the service generates it. The created
 * webhook (with its secret) goes to `onCreated`, to be shown once. An edit keeps the secret, and
 * keeps `ping` among the events if the webhook was created with it through the API.
 */
export function WebhookFormDialog({
  open,
  projectId,
  editing,
  onClose,
  onCreated,
}: {
  readonly open: boolean;
  readonly projectId: string;
  readonly editing: Webhook | undefined;
  readonly onClose: () => void;
  readonly onCreated: (created: CreatedWebhook) => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<WebhookForm>();
  const save = useMutation({
    mutationFn: async (values: WebhookForm): Promise<Webhook | CreatedWebhook> => {
      const url = values.url.trim();
      if (editing) {
        const keepPing: readonly WebhookEvent[] = editing.events.includes('ping') ? ['ping'] : [];
        const update: WebhookUpdate = {
          url,
          events: [...values.events, ...keepPing],
          enabled: values.enabled,
        };
        return api.patch<Webhook>(webhooksPath(projectId, editing.id), update);
      }
      const secret = values.secret?.trim() ?? '';
      const input: WebhookInput = { url, events: values.events, ...(secret === '' ? {} : { secret }) };
      return api.post<CreatedWebhook>(webhooksPath(projectId), input);
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: webhookQueryKeys.webhooks(projectId) });
      if ('secret' in saved) onCreated(saved);
      else {
        void message.success(`Webhook ${saved.url} saved.`);
        onClose();
      }
    },
    onError: (error) => form.setFields(formFieldErrors(error, formFields)),
  });
  const failure = formFailureText(save.error, formFields);
  const initialValues: WebhookForm = editing
    ? {
        url: editing.url,
        events: editing.events.filter((event) => event !== 'ping'),
        enabled: editing.enabled,
      }
    : { url: '', events: ['task.finished', 'scan.failed', 'findings.new_critical'], enabled: true };

  return (
    <Modal
      open={open}
      title={editing ? 'Edit webhook' : 'Add webhook'}
      okText={editing ? 'Save' : 'Add webhook'}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      afterClose={() => save.reset()}
      destroyOnHidden
      width={600}
    >
      <Form<WebhookForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={initialValues}
        onFinish={(values) => save.mutate(values)}
        aria-label="Webhook"
      >
        <Form.Item
          name="url"
          label="Payload URL"
          rules={[
            { required: true, whitespace: true, message: 'Enter the receiver’s address' },
            { type: 'url', message: 'An http:// or https:// address' },
            { max: 2000 },
          ]}
          extra="Drydock POSTs signed JSON here. No user name or password in the URL: the signature authenticates each delivery."
        >
          <Input placeholder="https://hooks.example.com/drydock" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="events"
          label="Events"
          rules={[
            {
              validator: async (_rule, value: unknown) => {
                if (!Array.isArray(value) || value.length === 0) throw new Error('Tick at least one event');
              },
            },
          ]}
          extra="Pings from “Send ping” are sent whatever is ticked."
        >
          <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
            {subscribableEvents.map((event) => (
              <Checkbox key={event} value={event}>
                {webhookEventLabels[event].label}{' '}
                <Typography.Text type="secondary">— {webhookEventLabels[event].description}</Typography.Text>
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
        {editing ? (
          <Form.Item
            name="enabled"
            label="Enabled"
            valuePropName="checked"
            extra="A disabled webhook gets no events (pings still go out); deliveries still being retried stop."
          >
            <Switch />
          </Form.Item>
        ) : (
          <Form.Item
            name="secret"
            label="Secret (optional)"
            rules={secretRules}
            extra="Keys the HMAC-SHA256 signature in X-Drydock-Signature. Leave it empty and Drydock generates one; either way it is shown once."
          >
            <Input.Password autoComplete="new-password" placeholder="Generated when empty" />
          </Form.Item>
        )}
      </Form>
      {failure === undefined ? null : <Alert type="error" showIcon title={failure} />}
    </Modal>
  );
}
