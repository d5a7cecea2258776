import { Alert, App, Card, Flex, Typography } from 'antd';
import { usePermission } from '../access/use-permission.ts';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { CompliancePolicyForm } from './compliance-policy-form.tsx';
import { listSaveError } from './save-error.ts';
import { ScanOnPushCard } from './scan-on-push-card.tsx';
import { StringListEditor } from './string-list-editor.tsx';
import { useScanSettings, useScanSettingsUpdate } from './use-scan-settings.ts';

/** The project's own weak-password words, tried besides the built-in dictionary. */
function WeakPasswordsCard({
  projectId,
  words,
}: {
  readonly projectId: string;
  readonly words: readonly string[];
}) {
  const { message } = App.useApp();
  const update = useScanSettingsUpdate(projectId);
  const save = async (next: readonly string[]) => {
    try {
      await update.mutateAsync({ weakPasswords: next });
      void message.success('Weak-password list saved; the next scans try these words.');
      return true;
    } catch {
      return false;
    }
  };
  return (
    <Card title="Weak-password list" data-testid="weak-passwords-card">
      <Typography.Paragraph type="secondary">
        The baseline check tries these words against the password hashes in each image&apos;s /etc/shadow,
        besides its built-in dictionary: the company&apos;s own guessable passwords, product names, default
        service passwords.
      </Typography.Paragraph>
      <StringListEditor
        items={words}
        noun={{ one: 'word', many: 'words' }}
        addLabel="Add words (one per line)"
        placeholder="Winter2024!"
        permission="results:handle"
        saving={update.isPending}
        error={listSaveError(update.error, 'weakPasswords')}
        onSave={save}
        testId="weak-passwords"
      />
    </Card>
  );
}

/**
 * The project's scan settings (`GET`/`PATCH scan-settings`): the weak-password list and the
 * compliance policy, which apply to the next scans. Reading them needs `results:handle` (the words
 * may be real passwords), so without it the tab says why instead of loading.
 */
export function ScanSettingsTab({ projectId }: { readonly projectId: string }) {
  const access = usePermission('results:handle');
  const settings = useScanSettings(projectId, access.allowed);
  if (!access.allowed)
    return (
      <Alert
        type="info"
        showIcon
        title="The scan settings are not shown to you"
        description={access.reason}
        data-testid="scan-settings-read-only"
      />
    );
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  if (!settings.data) return <LoadingState label="Loading the scan settings…" />;
  return (
    <Flex vertical gap={16}>
      <ScanOnPushCard projectId={projectId} enabled={settings.data.scanOnPush} />
      <WeakPasswordsCard projectId={projectId} words={settings.data.weakPasswords} />
      <Card title="Compliance policy" data-testid="compliance-policy-card">
        <CompliancePolicyForm projectId={projectId} settings={settings.data} />
      </Card>
    </Flex>
  );
}
