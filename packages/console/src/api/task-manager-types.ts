import type { RiskType, ScanTaskStatus, SyncStatus, SyncTask } from './task-types.ts';

/**
 * What the task manager reads (server api/routes/scan-task-routes.ts and sync-task-routes.ts):
 * the list and detail replies written out from the routes' zod schemas. task-types.ts holds the
 * statuses, risk types and the sync task the scan dialog and the sync runner use too.
 */

/** `type` of a scan task: started by someone, or by the scheduled policy. */
export const scanTaskTypes = ['manual', 'scheduled'] as const;
export type ScanTaskType = (typeof scanTaskTypes)[number];

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

export const syncTriggers = ['manual', 'daily'] as const;
export type SyncTrigger = (typeof syncTriggers)[number];

/** The scan task as the API answers it (`ScanTask` in the OpenAPI document). */
export interface ScanTaskReply {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly type: ScanTaskType;
  /** The scope as it was requested (a `ScanScope` of task-types.ts); the API does not promise its shape. */
  readonly scope: unknown;
  readonly riskTypes: readonly RiskType[];
  /** Images per hour per registry connection; 0 = unlimited. */
  readonly speedLimit: number;
  readonly creator: string;
  readonly status: ScanTaskStatus;
  /** The task runs from its creation; there is no separate start time. */
  readonly createdAt: string;
  /** Null while it runs. */
  readonly finishedAt: string | null;
  /** When it ends `timed_out` if it has not ended by then; null = no deadline. */
  readonly deadlineAt: string | null;
  readonly counts: {
    readonly total: number;
    /** Queued and dispatched image scans. */
    readonly queued: number;
    readonly running: number;
    readonly succeeded: number;
    readonly failed: number;
    readonly terminated: number;
    /** Succeeded scans that found a risk. */
    readonly risky: number;
  };
  /** 0–100: the share of image scans in a final status. */
  readonly progress: number;
  /** Estimated time to the end; absent before the first image ends and once the task ended. */
  readonly remainingMs?: number;
}

/** `GET scan-tasks`: newest first, at most `limit`, no total. */
export interface ScanTaskListReply {
  readonly scanTasks: readonly ScanTaskReply[];
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
