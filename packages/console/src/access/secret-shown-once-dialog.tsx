import { CopyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Modal, Typography } from 'antd';
import type { ReactNode } from 'react';

/**
 * The one showing of a secret the service does not answer with again (an API token, a webhook's
 * signing secret): a warning, the secret with a copy button, and what to do with it. Only the
 * button closes it, so Escape or a stray click cannot lose the secret before it is copied.
 */
export function SecretShownOnceDialog({
  secret,
  noun,
  title,
  warning,
  testId,
  before,
  after,
  onClose,
}: {
  /** Undefined while there is nothing to show (the dialog is closed). */
  readonly secret: string | undefined;
  /** What the secret is, in the copy messages: "token", "secret". */
  readonly noun: string;
  readonly title: string;
  readonly warning: { readonly title: string; readonly description: string };
  readonly testId: string;
  readonly before?: ReactNode;
  readonly after: ReactNode;
  readonly onClose: () => void;
}) {
  const { message } = App.useApp();
  const copy = async (value: string) => {
    try {
      await navigator.clipboard.writeText(value);
      void message.success(`${noun[0]?.toUpperCase() ?? ''}${noun.slice(1)} copied to the clipboard.`);
    } catch {
      // The clipboard can be refused (permissions, an insecure origin): the text stays selectable.
      void message.warning(`The browser refused the clipboard: select the ${noun} and copy it by hand.`);
    }
  };
  return (
    <Modal
      open={secret !== undefined}
      title={title}
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
      {secret !== undefined ? (
        <Flex vertical gap={16}>
          <Alert type="warning" showIcon title={warning.title} description={warning.description} />
          {before}
          <Flex gap={8} align="stretch">
            <Typography.Text
              className="mono"
              data-testid={testId}
              style={{
                flex: 1,
                padding: '8px 12px',
                background: '#f5f5f5',
                borderRadius: 6,
                wordBreak: 'break-all',
                userSelect: 'all',
              }}
            >
              {secret}
            </Typography.Text>
            <Button icon={<CopyOutlined />} onClick={() => void copy(secret)}>
              Copy
            </Button>
          </Flex>
          {after}
        </Flex>
      ) : null}
    </Modal>
  );
}
