import { scoreCvssVector, type CvssVersion } from './cvss.ts';
import type { OsvAffected, OsvRecord, OsvSeverity } from './osv-record.ts';

/**
 * The severity of a record (or of one of its affected packages), from the best evidence present:
 * 1. a CVSS vector (v4 before v3 before v2; the affected entry's own before the record's), scored
 *    by ae-cvss-calculator and banded per FIRST (https://www.first.org/cvss/v3.1/specification-document
 *    section 5: 0.1-3.9 low, 4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical; 0.0, "none", is
 *    reported as low, the least of Drydock's levels);
 * 2. the distribution's or database's own rating: OSV `Ubuntu` severity entries, Debian's
 *    `ecosystem_specific.urgency`, GHSA-style `database_specific.severity`, a bare CVSS score in
 *    `database_specific` (RubySec's `cvss_v3`), and Red Hat-style summaries (AlmaLinux, Rocky Linux:
 *    "Important: ..." or "... (Important)", https://access.redhat.com/security/updates/classification);
 * 3. otherwise `unknown`.
 * OSV severity field: https://ossf.github.io/osv-schema/#severity-field
 */
export type SeverityLevel = 'critical' | 'high' | 'medium' | 'low' | 'unknown';
export type SeveritySource = 'cvss_v4' | 'cvss_v3' | 'cvss_v2' | 'distribution' | 'none';

export interface SeverityAssessment {
  readonly level: SeverityLevel;
  /** CVSS base score (0-10), when the level comes from a CVSS vector or score. */
  readonly score?: number;
  /** The CVSS vector the score was computed from. */
  readonly vector?: string;
  /** `2.0`, `3.0`, `3.1` or `4.0`, with `vector`. */
  readonly cvssVersion?: string;
  readonly source: SeveritySource;
}

export function levelOfScore(score: number): Exclude<SeverityLevel, 'unknown'> {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

const cvssTypes: readonly { readonly type: string; readonly version: CvssVersion }[] = [
  { type: 'CVSS_V4', version: 'v4' },
  { type: 'CVSS_V3', version: 'v3' },
  { type: 'CVSS_V2', version: 'v2' },
];

const sourceOf: Readonly<Record<CvssVersion, SeveritySource>> = {
  v4: 'cvss_v4',
  v3: 'cvss_v3',
  v2: 'cvss_v2',
};

function cvssVersionOf(vector: string, version: CvssVersion): string {
  if (version === 'v2') return '2.0';
  return /^CVSS:(\d\.\d)/.exec(vector)?.[1] ?? (version === 'v4' ? '4.0' : '3.1');
}

function fromCvss(entries: readonly OsvSeverity[]): SeverityAssessment | undefined {
  for (const { type, version } of cvssTypes) {
    for (const entry of entries) {
      if (entry.type !== type) continue;
      const scored = scoreCvssVector(entry.score);
      if (scored === undefined || scored.version !== version) continue;
      return {
        level: levelOfScore(scored.score),
        score: scored.score,
        vector: scored.vector,
        cvssVersion: cvssVersionOf(scored.vector, version),
        source: sourceOf[version],
      };
    }
  }
  return undefined;
}

/** Words distributions and databases use for their ratings, lowercased. */
const ratingWords: Readonly<Record<string, Exclude<SeverityLevel, 'unknown'>>> = {
  critical: 'critical',
  important: 'high',
  high: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'low',
  unimportant: 'low',
};

function ratingOf(value: unknown): Exclude<SeverityLevel, 'unknown'> | undefined {
  return typeof value === 'string' ? ratingWords[value.trim().toLowerCase()] : undefined;
}

function distributionRating(
  record: OsvRecord,
  affected: OsvAffected | undefined,
): SeverityAssessment | undefined {
  const entries = [...(affected?.severity ?? []), ...(record.severity ?? [])];
  for (const entry of entries) {
    if (entry.type === 'Ubuntu') {
      const level = ratingOf(entry.score);
      if (level) return { level, source: 'distribution' };
    }
  }
  const candidates: unknown[] = [
    affected?.ecosystem_specific?.['urgency'],
    affected?.ecosystem_specific?.['severity'],
    affected?.database_specific?.['severity'],
    record.database_specific?.['severity'],
  ];
  for (const candidate of candidates) {
    const level = ratingOf(candidate);
    if (level) return { level, source: 'distribution' };
  }
  for (const key of ['cvss_v4', 'cvss_v3', 'cvss_v2', 'cvss_score']) {
    const value = record.database_specific?.[key];
    const score = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
    if (Number.isFinite(score) && score >= 0 && score <= 10)
      return { level: levelOfScore(score), score, source: 'distribution' };
  }
  const summary = record.summary ?? '';
  // "Important: kernel security update", and once "ALSA-2022:5468: php:8.0 security update (Important)".
  const rating =
    /^(Critical|Important|Moderate|Low):/.exec(summary)?.[1] ??
    /\((Critical|Important|Moderate|Low)\)\s*$/.exec(summary)?.[1];
  const level = ratingOf(rating);
  if (level) return { level, source: 'distribution' };
  return undefined;
}

/** The severity of `record`, or of its `affected` entry when given (that entry's own fields first). */
export function severityOf(record: OsvRecord, affected?: OsvAffected): SeverityAssessment {
  return (
    fromCvss([...(affected?.severity ?? []), ...(record.severity ?? [])]) ??
    distributionRating(record, affected) ?? { level: 'unknown', source: 'none' }
  );
}
