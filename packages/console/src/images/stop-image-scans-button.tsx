import { StopOutlined } from '@ant-design/icons';
import { ReasonedButton } from '../access/reasoned-button.tsx';
import type { ImageScanStatus, RepositoryImage } from '../api/image-types.ts';
import { useStopPermission } from '../tasks/use-stop-permission.ts';
import { useStopImageScans } from './use-stop-image-scans.ts';

/** The image statuses with a scan to stop: waiting in a task, or being scanned. */
const stoppableStatuses: readonly ImageScanStatus[] = ['queued', 'scanning'];

/**
 * A row's "Stop": ends the image's queued and running scans in every task after a confirmation,
 * the tasks going on with their other images. Shown only while the image waits for or undergoes a
 * scan; disabled with the reason for a role that may not stop scans (either of two permissions,
 * as the task stop, which GuardedButton cannot express).
 */
export function StopImageScansButton({
  projectId,
  image,
}: {
  readonly projectId: string;
  readonly image: RepositoryImage;
}) {
  const access = useStopPermission();
  const stop = useStopImageScans(projectId);
  if (!stoppableStatuses.includes(image.scanStatus)) return null;
  const name = `${image.repository}:${image.tag}`;
  return (
    <ReasonedButton
      reason={access.reason}
      size="small"
      type="link"
      danger
      style={{ padding: 0 }}
      icon={<StopOutlined />}
      loading={stop.isPending}
      aria-label={`Stop scans of ${name}`}
      confirm={{
        title: `Stop scanning ${name}?`,
        description: (
          <div style={{ maxWidth: 360 }}>
            Its queued and running scans end as terminated in every task, which go on with their other images.
            Stopped scans are not charged.
          </div>
        ),
        okText: 'Stop scans',
        cancelText: 'Keep scanning',
        onConfirm: () => stop.mutate(image),
      }}
    >
      Stop
    </ReasonedButton>
  );
}
