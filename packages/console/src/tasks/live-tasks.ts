import type { ScanTaskStatus, SyncStatus } from '../api/task-types.ts';

/**
 * How often the task manager reads a list or a task again while something in it still runs (and
 * only then): often enough that progress looks live, rare enough for a large project's lists.
 */
export const liveTaskPollMs = 2000;

/** Scan task statuses that still change: `stopping` ends as soon as the running scans abort. */
export function isLiveScanTask(status: ScanTaskStatus): boolean {
  return status === 'running' || status === 'stopping';
}

export function isLiveSyncTask(status: SyncStatus): boolean {
  return status === 'running';
}
