import type { OsvAffected, OsvRecord } from './osv-record.ts';
import { joinListedVersions } from '../versioning/listed-versions.ts';
import { severityOf, type SeverityAssessment } from './severity.ts';

/**
 * One `affected` entry as the database stores it for matching: only what range evaluation and a
 * finding need (the package, the ranges, the explicit versions, joined into one string) plus the
 * entry's severity when its own fields make it differ from the advisory's. Severities are assessed
 * once at import instead of at every match (CVSS scoring is the costly part). `GIT` ranges keep
 * their type, which the evaluator reports, but not their commits. The whole record stays in
 * `records` for anyone who wants the rest.
 */
export interface MatchEntry {
  readonly package: { readonly ecosystem: string; readonly name: string };
  readonly ranges?: OsvAffected['ranges'];
  readonly versions?: readonly string[];
  /** The `versions` list joined, when it can be (listed-versions.ts); then `versions` is absent. */
  readonly joinedVersions?: string;
  /** Absent when it is the advisory's (`AdvisorySummary.severity`). */
  readonly severity?: SeverityAssessment;
}

/** One advisory's entries for one looked-up package. */
export interface AffectedCandidate {
  readonly id: string;
  readonly entries: readonly MatchEntry[];
}

/** What a finding shows of an advisory besides the matched entry. */
export interface AdvisorySummary {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly related: readonly string[];
  readonly summary: string | undefined;
  readonly details: string | undefined;
  readonly references: readonly string[];
  readonly published: string | undefined;
  readonly modified: string;
  readonly severity: SeverityAssessment;
}

function sameSeverity(a: SeverityAssessment, b: SeverityAssessment): boolean {
  return (
    a.level === b.level &&
    a.source === b.source &&
    a.score === b.score &&
    a.vector === b.vector &&
    a.cvssVersion === b.cvssVersion
  );
}

function listedVersionsOf(
  versions: readonly string[] | undefined,
): Pick<MatchEntry, 'versions' | 'joinedVersions'> {
  if (versions === undefined) return {};
  const joined = joinListedVersions(versions);
  return joined === undefined ? { versions } : { joinedVersions: joined };
}

export function toMatchEntry(
  record: OsvRecord,
  affected: OsvAffected,
  recordSeverity: SeverityAssessment,
): MatchEntry {
  const { ecosystem, name } = affected.package;
  const severity = severityOf(record, affected);
  return {
    package: { ecosystem, name },
    ...(affected.ranges
      ? {
          ranges: affected.ranges.map((range) =>
            range.type === 'GIT' ? { type: 'GIT', events: [] } : { type: range.type, events: range.events },
          ),
        }
      : {}),
    ...listedVersionsOf(affected.versions),
    ...(sameSeverity(severity, recordSeverity) ? {} : { severity }),
  };
}

export function toAdvisorySummary(record: OsvRecord, severity: SeverityAssessment): AdvisorySummary {
  return {
    id: record.id,
    aliases: [...new Set(record.aliases ?? [])],
    related: record.related ?? [],
    summary: record.summary,
    details: record.details,
    references: [...new Set((record.references ?? []).map((reference) => reference.url))],
    published: record.published,
    modified: record.modified,
    severity,
  };
}
