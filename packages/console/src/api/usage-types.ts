/**
 * Metered usage per project and month, as `GET /projects/{projectId}/usage?month=YYYY-MM` answers
 * it (server api/routes/usage-routes.ts, PRODUCT.md section 7). Months are UTC calendar months.
 */
export interface MonthlyUsage {
  readonly projectId: string;
  /** `YYYY-MM`. */
  readonly month: string;
  /** Successful scans of registry images (one per scanned platform). */
  readonly repositoryScans: number;
  /** Successful scans sent by CI. */
  readonly ciScans: number;
  /** Scans per month that cost nothing. */
  readonly freeQuota: number;
  /** How many of this month's scans the free quota covered. */
  readonly freeUsed: number;
  /** Scans beyond the free quota: the billable units. */
  readonly billedScans: number;
  /** Millionths of `currency`. */
  readonly amountMicros: number;
  readonly currency: string;
}
