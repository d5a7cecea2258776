import { Alert, App, Card, Typography } from 'antd';
import { usePermission } from '../access/use-permission.ts';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { listSaveError } from './save-error.ts';
import { StringListEditor } from './string-list-editor.tsx';
import { useScanSettings, useScanSettingsUpdate } from './use-scan-settings.ts';

/**
 * The project's secret path allowlist (`secretPathAllowlist` of the scan settings): globs whose
 * files the next scans do not search and whose stored findings count as ignored at once. Reading
 * it needs `results:handle`, like every scan setting; without it the card says so.
 */
export function PathAllowlistCard({ projectId }: { readonly projectId: string }) {
  const access = usePermission('results:handle');
  const { message } = App.useApp();
  const settings = useScanSettings(projectId, access.allowed);
  const update = useScanSettingsUpdate(projectId);
  const save = async (next: readonly string[]) => {
    try {
      await update.mutateAsync({ secretPathAllowlist: next });
      void message.success('Path allowlist saved; findings on these paths count as ignored.');
      return true;
    } catch {
      return false;
    }
  };
  return (
    <Card title="Path allowlist" data-testid="path-allowlist-card">
      <Typography.Paragraph type="secondary">
        Files matching these globs (<span className="mono">**/test/**</span>,{' '}
        <span className="mono">opt/vendor/*.pem</span>) are not searched by the next scans, and their stored
        findings count as ignored. Built-in defaults for system, test and vendor files apply besides these.
      </Typography.Paragraph>
      {!access.allowed ? (
        <Alert
          type="info"
          showIcon
          title="The path allowlist is not shown to you"
          description={access.reason}
          data-testid="path-allowlist-read-only"
        />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : !settings.data ? (
        <LoadingState minHeight={120} />
      ) : (
        <StringListEditor
          items={settings.data.secretPathAllowlist}
          noun={{ one: 'path glob', many: 'path globs' }}
          addLabel="Add path globs (one per line)"
          placeholder="opt/app/test/**"
          permission="results:handle"
          saving={update.isPending}
          error={listSaveError(update.error, 'secretPathAllowlist')}
          onSave={save}
          testId="path-allowlist"
        />
      )}
    </Card>
  );
}
