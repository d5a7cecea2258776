import type { ColumnType } from 'kysely';
import type { JsonColumn, RiskCounts, RiskLevel } from './schema.ts';

/** A scan report a CI job uploaded with `drydock image --server` (migration 0009, ci/). */
export interface CiScanTable {
  readonly id: string;
  projectId: string;
  /** The image as the CLI named it (`artifact.name` of the report). */
  reference: string;
  /** The manifest or index digest; null for local sources without one (a directory, an archive). */
  digest: string | null;
  /** The scanned platforms as `os/arch[/variant]`, in report order. */
  platforms: JsonColumn<readonly string[]>;
  /** The engine's ScanReport as uploaded: secrets masked, secret fingerprints removed. */
  report: JsonColumn<unknown>;
  /** The sum of the platforms' counts, as the image list counts them. */
  riskCounts: JsonColumn<RiskCounts>;
  /** The worst platform's level. */
  riskLevel: RiskLevel;
  /** The user whose token or session uploaded it. */
  uploadedBy: string;
  /** The client's `Idempotency-Key`; null when it sent none. */
  idempotencyKey: string | null;
  createdAt: ColumnType<Date, Date, never>;
}
