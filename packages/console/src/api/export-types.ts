import type { HandlingState, SeverityLevel } from './handling-types.ts';

/**
 * Export jobs (server api/routes/export-routes.ts, PRODUCT.md 4.1): a CSV or JSON file per risk
 * type, of the inventory, or of one image's whole report, written in the background.
 */

export const exportKinds = [
  'vulnerability',
  'secret',
  'malware',
  'baseline',
  'compliance',
  'inventory',
  'image',
] as const;
export type ExportKind = (typeof exportKinds)[number];

export const exportFormats = ['csv', 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const exportStatuses = ['queued', 'running', 'finished', 'failed'] as const;
export type ExportStatus = (typeof exportStatuses)[number];

/** Which findings to export; absent fields do not filter. */
export interface ExportFilter {
  /** Not for the inventory (packages have no severity). */
  readonly severities?: readonly SeverityLevel[];
  readonly handling?: readonly HandlingState[];
  /** Only findings of these images (at most 10,000); not for `image` exports. */
  readonly imageIds?: readonly string[];
  /** The image of an `image` export (required there, refused elsewhere). */
  readonly imageId?: string;
}

/** `POST /projects/{projectId}/exports`. */
export interface ExportRequest {
  readonly kind: ExportKind;
  readonly format: ExportFormat;
  readonly filter?: ExportFilter;
}

/** An export job as the API shows it: everything but the file (`…/download` gives that). */
export interface ExportJob {
  readonly id: string;
  readonly projectId: string;
  readonly kind: ExportKind;
  readonly format: ExportFormat;
  /** The filter as requested. */
  readonly filter: unknown;
  readonly status: ExportStatus;
  /** Findings written (reports, for an image export); 0 until finished. */
  readonly rows: number;
  /** Why it failed; null otherwise. */
  readonly error: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

/** `GET /projects/{projectId}/exports`: newest first; `limit` 1–1000 (default 50). */
export interface ExportPage {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly exports: readonly ExportJob[];
}
