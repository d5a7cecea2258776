import type * as Sarif from 'sarif';
import type { Severity } from '../match/finding.ts';

/** The `uriBaseId` that paths in the image are relative to: the root of the image's filesystem. */
export const imageRootBaseId = 'ROOTPATH';

/** Result levels by severity: critical and high are errors, medium warnings, the rest notes. */
export const sarifLevels: Readonly<Record<Severity, Sarif.Result.level>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  unknown: 'note',
};

/**
 * `security-severity` when a finding has no CVSS score: the middle of the CVSS v3 qualitative
 * band of its severity (GitHub code scanning ranks alerts by this property).
 */
export const severityScores: Readonly<Record<Exclude<Severity, 'unknown'>, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
};

/** What every result of one image names. */
export interface SarifContext {
  /** The artifact, with the platform when the report holds several. */
  readonly imageName: string;
}
