import type { RiskCounts, RiskLevel } from './image-types.ts';

/**
 * CI scans (server api/routes/ci-scan-routes.ts): reports that `drydock image --server` uploaded
 * from a pipeline, written out from the routes' zod schemas (`CiScan`, `CiScanWithReport`).
 */

/** One upload as listed (schema `CiScan`). */
export interface CiScan {
  readonly id: string;
  readonly projectId: string;
  /** The image as the CLI named it. */
  readonly reference: string;
  /** null for a local source without a digest. */
  readonly digest: string | null;
  /** Scanned platforms as os/arch[/variant]. */
  readonly platforms: readonly string[];
  readonly riskCounts: RiskCounts;
  readonly riskLevel: RiskLevel;
  /** The user whose token or session uploaded it. */
  readonly uploadedBy: string;
  readonly createdAt: string;
}

/** `GET ci-scans`: newest first, with the total for the pager. */
export interface CiScanListReply {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly ciScans: readonly CiScan[];
}

/** The query of `GET ci-scans`. */
export interface CiScanListQuery {
  /** Substring of the reference, case-insensitive. */
  readonly reference?: string;
  readonly offset: number;
  readonly limit: number;
}

/**
 * `GET ci-scans/{ciScanId}`: the scan with its uploaded JSON report (the engine's ScanReport as the
 * CLI sent it, secret fingerprints removed). The API types the report as unknown, so the console
 * reads only what it shows, and defensively (ci-scan-report.ts).
 */
export interface CiScanWithReport extends CiScan {
  readonly report: unknown;
}
