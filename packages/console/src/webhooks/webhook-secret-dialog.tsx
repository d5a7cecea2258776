import { Typography } from 'antd';
import { SecretShownOnceDialog } from '../access/secret-shown-once-dialog.tsx';
import type { CreatedWebhook } from './webhook-types.ts';

/** The one showing of a new webhook's signing secret (kept sealed, never answered again). */
export function WebhookSecretDialog({
  created,
  onClose,
}: {
  readonly created: CreatedWebhook | undefined;
  readonly onClose: () => void;
}) {
  return (
    <SecretShownOnceDialog
      secret={created?.secret}
      noun="secret"
      title="Webhook created"
      warning={{
        title: 'Copy the signing secret now: it is not shown again.',
        description:
          'Give it to the receiver at the URL below so it can check each delivery. If it is lost, delete the webhook and add it again.',
      }}
      testId="webhook-secret"
      before={
        <Typography.Text className="mono" style={{ wordBreak: 'break-all' }}>
          {created?.url}
        </Typography.Text>
      }
      after={
        <Typography.Text type="secondary">
          Each delivery carries <Typography.Text code>X-Drydock-Signature: sha256=…</Typography.Text>, the hex
          HMAC-SHA256 of <Typography.Text code>timestamp.body</Typography.Text> keyed with this secret (the
          timestamp is <Typography.Text code>X-Drydock-Timestamp</Typography.Text>).
        </Typography.Text>
      }
      onClose={onClose}
    />
  );
}
