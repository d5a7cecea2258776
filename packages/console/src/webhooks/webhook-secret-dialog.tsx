import { CopyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Modal, Typography } from 'antd';
import type { CreatedWebhook } from './webhook-types.ts';

/**
 * The one showing of a new webhook's signing secret: the service keeps it sealed and never answers
 * with it again. Only the button closes the dialog, so Escape or a stray click cannot lose the
 * secret before it is copied into the receiver's configuration.
 */
export function WebhookSecretDialog({
  created,
  onClose,
}: {
  readonly created: CreatedWebhook | undefined;
  readonly onClose: () => void;
}) {
  const { message } = App.useApp();
  const copy = async (secret: string) => {
    try {
      await navigator.clipboard.writeText(secret);
      void message.success('Secret copied to the clipboard.');
    } catch {
      // The clipboard can be refused (permissions, an insecure origin): the text stays selectable.
      void message.warning('The browser refused the clipboard: select the secret and copy it by hand.');
    }
  };
  return (
    <Modal
      open={created !== undefined}
      title="Webhook created"
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      destroyOnHidden
      width={620}
      footer={
        <Button type="primary" onClick={onClose}>
          I have copied it
        </Button>
      }
    >
      {created ? (
        <Flex vertical gap={16}>
          <Alert
            type="warning"
            showIcon
            title="Copy the signing secret now: it is not shown again."
            description="Give it to the receiver at the URL below so it can check each delivery. If it is lost, delete the webhook and add it again."
          />
          <Typography.Text className="mono" style={{ wordBreak: 'break-all' }}>
            {created.url}
          </Typography.Text>
          <Flex gap={8} align="stretch">
            <Typography.Text
              className="mono"
              data-testid="webhook-secret"
              style={{
                flex: 1,
                padding: '8px 12px',
                background: '#f5f5f5',
                borderRadius: 6,
                wordBreak: 'break-all',
                userSelect: 'all',
              }}
            >
              {created.secret}
            </Typography.Text>
            <Button icon={<CopyOutlined />} onClick={() => void copy(created.secret)}>
              Copy
            </Button>
          </Flex>
          <Typography.Text type="secondary">
            Each delivery carries <Typography.Text code>X-Drydock-Signature: sha256=…</Typography.Text>, the
            hex HMAC-SHA256 of <Typography.Text code>timestamp.body</Typography.Text> keyed with this secret
            (the timestamp is <Typography.Text code>X-Drydock-Timestamp</Typography.Text>).
          </Typography.Text>
        </Flex>
      ) : null}
    </Modal>
  );
}
