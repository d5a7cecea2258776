import type { ExportFormat, ExportKind, ExportStatus } from '../api/export-types.ts';
import { handlingStates, type HandlingState } from '../api/handling-types.ts';

/** What each export holds (PRODUCT.md 4.1). */
export const exportKindLabels: Readonly<Record<ExportKind, string>> = {
  vulnerability: 'Vulnerabilities',
  secret: 'Sensitive information',
  malware: 'Malicious files',
  baseline: 'Baseline checks',
  compliance: 'Software compliance',
  inventory: 'Software inventory',
  image: "One image's whole report",
};

export const exportFormatLabels: Readonly<Record<ExportFormat, string>> = {
  csv: 'CSV (spreadsheets)',
  json: 'JSON (scripts)',
};

export const exportStatusTags: Readonly<
  Record<ExportStatus, { readonly color: string; readonly label: string }>
> = {
  queued: { color: 'default', label: 'Queued' },
  running: { color: 'processing', label: 'Running' },
  finished: { color: 'success', label: 'Finished' },
  failed: { color: 'error', label: 'Failed' },
};

/** Kinds whose findings have a severity (packages of the inventory have none; an image export takes no filter). */
export function hasSeverities(kind: ExportKind): boolean {
  return kind !== 'inventory' && kind !== 'image';
}

/**
 * The handling states a kind's findings can be in: every state for vulnerabilities, open or
 * ignored for sensitive information; other findings are always open, so no choice is offered.
 */
export function handlingStatesOf(kind: ExportKind): readonly HandlingState[] {
  if (kind === 'vulnerability') return handlingStates;
  if (kind === 'secret') return ['open', 'ignored'];
  return [];
}
