import type { TaskImageStatus } from '../api/task-manager-types.ts';
import type { ScanTaskStatus, ScanTaskType, SyncStatus, SyncTrigger } from '../api/task-types.ts';

/** Console labels and tag colours of the task statuses (PRODUCT.md 3.2 and 3.3). */

interface Look {
  readonly label: string;
  /** An antd tag colour preset. */
  readonly color: string;
}

export const scanTaskStatusLooks: Readonly<Record<ScanTaskStatus, Look>> = {
  running: { label: 'Running', color: 'processing' },
  finished: { label: 'Finished', color: 'success' },
  stopping: { label: 'Stopping', color: 'warning' },
  stopped: { label: 'Stopped', color: 'default' },
  timed_out: { label: 'Timed out', color: 'warning' },
  failed: { label: 'Failed', color: 'error' },
};

/** A task's image scans; `queued`, `scanning` and the final ones read as the image statuses do. */
export const taskImageStatusLooks: Readonly<Record<TaskImageStatus, Look>> = {
  queued: { label: 'To be scanned', color: 'gold' },
  dispatched: { label: 'Sent to a worker', color: 'gold' },
  scanning: { label: 'Scanning', color: 'processing' },
  succeeded: { label: 'Succeeded', color: 'success' },
  failed: { label: 'Failed', color: 'error' },
  terminated: { label: 'Scan terminated', color: 'warning' },
};

export const syncStatusLooks: Readonly<Record<SyncStatus, Look>> = {
  running: { label: 'Running', color: 'processing' },
  finished: { label: 'Finished', color: 'success' },
  partial: { label: 'Partly failed', color: 'warning' },
  failed: { label: 'Failed', color: 'error' },
};

export const scanTaskTypeLabels: Readonly<Record<ScanTaskType, string>> = {
  manual: 'Manual',
  scheduled: 'Scheduled',
};

export const syncTriggerLabels: Readonly<Record<SyncTrigger, string>> = {
  manual: 'Manual',
  daily: 'Daily',
  push: 'Registry push',
};
