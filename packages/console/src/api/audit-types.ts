/**
 * The audit log as the identity routes answer it (server api/routes/identity-routes.ts and
 * access/audit-log.ts): `GET /projects/{projectId}/audit-events` (and `GET /audit-events`, the
 * whole log, for service administrators), and their `/export` files.
 */

/** One recorded change. Dates arrive as RFC 3339 strings. */
export interface AuditEvent {
  readonly id: number;
  readonly at: string;
  /** null for changes outside any project (users, sign-ins, tokens of every project). */
  readonly projectId: string | null;
  /** null when nobody was signed in (a failed sign-in). */
  readonly userId: string | null;
  readonly userName: string;
  /** The client's address as the service saw it. */
  readonly address: string;
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string;
  /** What changed; secrets are stored as `[redacted]`. */
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AuditPage {
  /** Newest first. */
  readonly events: readonly AuditEvent[];
  /** How many events match, over all pages. */
  readonly total: number;
}

/** The filters both the list and the export take; each narrows, all absent = everything. */
export interface AuditFilter {
  /** RFC 3339, inclusive. */
  readonly from?: string;
  /** RFC 3339, exclusive. */
  readonly to?: string;
  /** Exact action name (`role.create`). */
  readonly action?: string;
  /** The actor's user name, any case. */
  readonly userName?: string;
  readonly objectType?: string;
  readonly objectId?: string;
}

/** The list's paging: `limit` 1–500 (default 100), `offset` from 0. */
export const maxAuditPageSize = 500;

export const auditExportFormats = ['csv', 'json'] as const;
export type AuditExportFormat = (typeof auditExportFormats)[number];
