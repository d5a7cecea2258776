import type { ColumnType } from 'kysely';
import type { JsonColumn } from './schema.ts';

/**
 * `queued` until a worker takes it, `running` while it pulls and scans, then `succeeded` (the
 * report is stored) or `failed` (`failureCode` and `failureMessage` say why).
 */
export const harborScanStatuses = ['queued', 'running', 'succeeded', 'failed'] as const;
export type HarborScanStatus = (typeof harborScanStatuses)[number];

/** A scan Harbor requested through the pluggable scanner adapter (migration 0008). */
export interface HarborScanTable {
  readonly id: string;
  projectId: string;
  /** The user whose API token Harbor called with. */
  requestedBy: string;
  /** Harbor's registry base URL (`registry.url` of the scan request). */
  registryUrl: string;
  repository: string;
  digest: string;
  tag: string | null;
  /** The artifact's manifest MIME type as Harbor sent it; null when it sent none. */
  mimeType: string | null;
  /** The registry `Authorization` value, sealed; null when none was sent or once the scan ended. */
  authorizationSealed: string | null;
  status: HarborScanStatus;
  jobId: string | null;
  /** The engine's ScanReport of the artifact; null until the scan succeeded. */
  report: JsonColumn<unknown> | null;
  failureCode: string | null;
  failureMessage: string | null;
  createdAt: ColumnType<Date, Date, never>;
  startedAt: Date | null;
  finishedAt: Date | null;
}
