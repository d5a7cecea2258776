import { CopyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Modal, Typography } from 'antd';
import type { CreatedApiToken } from '../api/identity-types.ts';

/**
 * The one showing of a new token's secret: a warning that it is not shown again (the service keeps
 * only its hash), the secret with a copy button, and how to send it. Only the button closes it, so
 * a stray click or Escape does not lose the secret before it is copied.
 */
export function TokenSecretDialog({
  created,
  onClose,
}: {
  readonly created: CreatedApiToken | undefined;
  readonly onClose: () => void;
}) {
  const { message } = App.useApp();
  const copy = async (secret: string) => {
    try {
      await navigator.clipboard.writeText(secret);
      void message.success('Token copied to the clipboard.');
    } catch {
      // The clipboard can be refused (permissions, an insecure origin): the text stays selectable.
      void message.warning('The browser refused the clipboard: select the token and copy it by hand.');
    }
  };
  return (
    <Modal
      open={created !== undefined}
      title={`Token "${created?.info.name ?? ''}" created`}
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
            title="Copy the token now: it is not shown again."
            description="Drydock keeps only a hash of it. If you lose it, revoke it and create another."
          />
          <Flex gap={8} align="stretch">
            <Typography.Text
              className="mono"
              data-testid="token-secret"
              style={{
                flex: 1,
                padding: '8px 12px',
                background: '#f5f5f5',
                borderRadius: 6,
                wordBreak: 'break-all',
                userSelect: 'all',
              }}
            >
              {created.token}
            </Typography.Text>
            <Button icon={<CopyOutlined />} onClick={() => void copy(created.token)}>
              Copy
            </Button>
          </Flex>
          <Typography.Text type="secondary">
            Send it in the Authorization header of each API call:{' '}
            <Typography.Text code>Authorization: Bearer ddk_…</Typography.Text>
          </Typography.Text>
        </Flex>
      ) : null}
    </Modal>
  );
}
