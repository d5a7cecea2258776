import { App, Card, Flex, Switch, Typography } from 'antd';
import { useScanSettingsUpdate } from './use-scan-settings.ts';

/**
 * The project's scan-on-push switch (`scanOnPush` of the scan settings): when on, a registry's push
 * notification starts a scan of the pushed image, billed like any scan. A push always refreshes
 * the inventory; only the scan is opted into, because it costs.
 */
export function ScanOnPushCard({
  projectId,
  enabled,
}: {
  readonly projectId: string;
  readonly enabled: boolean;
}) {
  const { message } = App.useApp();
  const update = useScanSettingsUpdate(projectId);
  const change = async (next: boolean) => {
    try {
      await update.mutateAsync({ scanOnPush: next });
      void message.success(next ? 'Pushed images will be scanned.' : 'Pushes no longer start scans.');
    } catch {
      void message.error('The setting was not saved; try again.');
    }
  };
  return (
    <Card title="Scan on push" data-testid="scan-on-push-card">
      <Flex gap={12} align="center">
        <Switch
          checked={enabled}
          loading={update.isPending}
          onChange={(next) => void change(next)}
          aria-label="Scan on push"
          data-testid="scan-on-push-switch"
        />
        <Typography.Text type="secondary">
          When a registry connection&apos;s push notification arrives, scan the pushed image (billed like any
          scan). The registry is set up with the connection&apos;s event token.
        </Typography.Text>
      </Flex>
    </Card>
  );
}
