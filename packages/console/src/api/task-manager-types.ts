import type {
  ScanTask,
  ScanTaskStatus,
  ScanTaskType,
  SyncStatus,
  SyncTask,
  SyncTrigger,
} from './task-types.ts';

/**
 * What the task manager reads (server api/routes/scan-task-routes.ts and sync-task-routes.ts):
 * the list replies and queries and a task's image scans, written out from the routes' zod schemas.
 * task-types.ts holds the tasks themselves, their statuses and the risk types, which the scan
 * dialog and the sync runner use too.
 */

/** A scan task's image scans: `dispatched` = sent to a worker that has not started it yet. */
export const taskImageStatuses = [
  'queued',
  'dispatched',
  'scanning',
  'succeeded',
  'failed',
  'terminated',
] as const;
export type TaskImageStatus = (typeof taskImageStatuses)[number];

/** `GET scan-tasks`: newest first, at most `limit`, no total. */
export interface ScanTaskListReply {
  readonly scanTasks: readonly ScanTask[];
}

/** The query of `GET scan-tasks`. */
export interface ScanTaskListQuery {
  readonly type?: ScanTaskType;
  readonly status?: readonly ScanTaskStatus[];
  /** Substring of the name. */
  readonly name?: string;
  /** Created at or after (RFC 3339). */
  readonly from?: string;
  /** Created before (RFC 3339). */
  readonly to?: string;
  /** 1–1000; the API's default is 100. */
  readonly limit?: number;
}

/** One image scan of a task (one per platform of the image). */
export interface ScanTaskImage {
  readonly imageId: string;
  /** `os/arch[/variant]`, or '' for a single-platform image. */
  readonly platform: string;
  readonly repository: string;
  readonly tag: string;
  readonly status: TaskImageStatus;
  /** Set on `failed` scans: a failure code of PRODUCT.md 3.2. */
  readonly failureCode: string | null;
  readonly failureMessage: string | null;
}

/** `GET scan-tasks/{taskId}/images`: every image scan of the task, sorted by repository, tag, platform. */
export interface ScanTaskImagesReply {
  readonly images: readonly ScanTaskImage[];
}

/** `GET sync-tasks`: newest first, at most `limit`, no total. */
export interface SyncTaskListReply {
  readonly syncTasks: readonly SyncTask[];
}

/** The query of `GET sync-tasks`. */
export interface SyncTaskListQuery {
  readonly trigger?: SyncTrigger;
  readonly status?: readonly SyncStatus[];
  /** Started at or after (RFC 3339). */
  readonly from?: string;
  /** Started before (RFC 3339). */
  readonly to?: string;
  /** 1–1000; the API's default is 50. */
  readonly limit?: number;
}
