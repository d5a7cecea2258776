import type { RiskType } from './task-types.ts';

/**
 * The scheduled scan policy, one per project (server api/routes/policy-routes.ts, PRODUCT.md
 * section 5). Dates arrive as RFC 3339 strings.
 */

/** `GET`/`PUT policy` (a `GET` answers 404 `not_found` while the project has none). */
export interface ScanPolicy {
  readonly projectId: string;
  readonly enabled: boolean;
  /** Every N days, 1 to 30. */
  readonly periodDays: number;
  /** `HH:MM` in `timeZone`; scans start only inside the window. */
  readonly windowStart: string;
  /** `HH:MM` (or `24:00`); before `windowStart` means the window runs past midnight. */
  readonly windowEnd: string;
  /** The project's IANA time zone (changed on the project, not on the policy). */
  readonly timeZone: string;
  readonly riskTypes: readonly RiskType[];
  /** Images per hour per registry connection; 0 = unlimited. */
  readonly speedLimit: number;
  /** Only images pushed in the last N days; 0 = all. */
  readonly updatedWithinDays: number;
  /** The registry connections it covers; empty = all of the project's. */
  readonly connectionIds: readonly string[];
  /** The start of the window of its last run; null = it never ran. */
  readonly lastRunAt: string | null;
  /** Absent while the policy is disabled. */
  readonly nextRunAt?: string;
}

/** The body of `PUT policy`; absent fields take their defaults (00:00–07:00, every risk type, 0, 0, all). */
export interface ScanPolicyInput {
  readonly enabled: boolean;
  readonly periodDays: number;
  readonly windowStart?: string;
  readonly windowEnd?: string;
  readonly riskTypes?: readonly RiskType[];
  readonly speedLimit?: number;
  readonly updatedWithinDays?: number;
  readonly connectionIds?: readonly string[];
}
