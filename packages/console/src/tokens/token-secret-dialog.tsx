import { Typography } from 'antd';
import { SecretShownOnceDialog } from '../access/secret-shown-once-dialog.tsx';
import type { CreatedApiToken } from '../api/identity-types.ts';

/** The one showing of a new token's secret (the service keeps only its hash), and how to send it. */
export function TokenSecretDialog({
  created,
  onClose,
}: {
  readonly created: CreatedApiToken | undefined;
  readonly onClose: () => void;
}) {
  return (
    <SecretShownOnceDialog
      secret={created?.token}
      noun="token"
      title={`Token "${created?.info.name ?? ''}" created`}
      warning={{
        title: 'Copy the token now: it is not shown again.',
        description: 'Drydock keeps only a hash of it. If you lose it, revoke it and create another.',
      }}
      testId="token-secret"
      after={
        <Typography.Text type="secondary">
          Send it in the Authorization header of each API call:{' '}
          <Typography.Text code>Authorization: Bearer ddk_…</Typography.Text>
        </Typography.Text>
      }
      onClose={onClose}
    />
  );
}
