import type { ImageScanStatus, RegistryType } from './image-types.ts';

/** Scan and sync tasks and the fee estimate (server api/routes/scan-task-routes.ts, sync-task-routes.ts). */

export const riskTypes = ['vulnerability', 'baseline', 'malware', 'secret', 'compliance'] as const;
export type RiskType = (typeof riskTypes)[number];

/** Which images a scan covers. */
export type ScanScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'registry_types'; readonly types: readonly RegistryType[] }
  | { readonly kind: 'registries'; readonly connectionIds: readonly string[] }
  | { readonly kind: 'images'; readonly imageIds: readonly string[] }
  | {
      readonly kind: 'filter';
      readonly filter: {
        readonly name?: string;
        readonly namespace?: string;
        readonly tag?: string;
        readonly status?: readonly ImageScanStatus[];
        readonly connectionIds?: readonly string[];
        readonly registryTypes?: readonly RegistryType[];
        readonly updatedAfter?: string;
        readonly updatedBefore?: string;
      };
    };

export interface ScanRequest {
  readonly name?: string;
  readonly scope: ScanScope;
  /** Absent: all. */
  readonly riskTypes?: readonly RiskType[];
  /** Images per hour per registry connection; 0 = unlimited. */
  readonly speedLimit?: number;
}

export interface ScanEstimate {
  /** Starts one task of the same scope as `estimateId`, for 15 minutes. */
  readonly id: string;
  readonly images: number;
  /** Billable scans: one per platform. */
  readonly units: number;
  readonly freeUnits: number;
  /** Millionths of the currency unit. */
  readonly amountMicros: number;
  readonly currency: string;
  readonly expiresAt: string;
}

export const scanTaskStatuses = [
  'running',
  'finished',
  'stopping',
  'stopped',
  'timed_out',
  'failed',
] as const;
export type ScanTaskStatus = (typeof scanTaskStatuses)[number];

/** `type` of a scan task: started by someone, or by the scheduled policy. */
export const scanTaskTypes = ['manual', 'scheduled'] as const;
export type ScanTaskType = (typeof scanTaskTypes)[number];

/** A scan task as the API answers it (`ScanTask` in the OpenAPI document). */
export interface ScanTask {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly type: ScanTaskType;
  /** The scope as it was requested (a `ScanScope`); the API does not promise its shape. */
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

export const syncStatuses = ['running', 'finished', 'partial', 'failed'] as const;
export type SyncStatus = (typeof syncStatuses)[number];

export const syncTriggers = ['manual', 'daily', 'push'] as const;
export type SyncTrigger = (typeof syncTriggers)[number];

export interface SyncTask {
  readonly id: string;
  readonly projectId: string;
  readonly trigger: SyncTrigger;
  readonly status: SyncStatus;
  readonly connectionIds: readonly string[];
  readonly counts: {
    readonly added: number;
    readonly changed: number;
    readonly deleted: number;
    readonly unchanged: number;
    /** Repositories and tags skipped (absent in old tasks). */
    readonly skipped?: number;
  };
  readonly errors: readonly {
    readonly connectionId: string;
    readonly code: string;
    readonly message: string;
    /** The skipped repository or tag; absent when the whole registry failed. */
    readonly image?: string;
  }[];
  readonly startedAt: string;
  readonly finishedAt: string | null;
}
