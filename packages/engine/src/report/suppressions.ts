import type { VulnerabilityFinding } from '../match/finding.ts';
import type { SuppressedFinding } from '../scan/result.ts';
import {
  ignoreEntryMatches,
  isExpired,
  utcDay,
  type IgnoreEntry,
  type IgnoreFile,
} from './suppressions-ignore-file.ts';
import {
  effectiveStatement,
  type ImageIdentity,
  type VexDocument,
  type VexStatement,
} from './suppressions-vex.ts';

/** What may suppress findings: ignore files and OpenVEX documents, each in the order given. */
export interface SuppressionRules {
  readonly ignoreFiles: readonly IgnoreFile[];
  readonly vexDocuments: readonly VexDocument[];
}

export const noSuppressionRules: SuppressionRules = { ignoreFiles: [], vexDocuments: [] };

/** An ignore entry past its expiry date, with how many findings it would otherwise have suppressed. */
export interface ExpiredIgnoreEntry {
  readonly entry: IgnoreEntry;
  readonly source: string;
  readonly findings: number;
}

export interface SuppressionResult {
  readonly kept: readonly VulnerabilityFinding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Every expired entry of the ignore files (they stop applying and are reported, so they get renewed or removed). */
  readonly expired: readonly ExpiredIgnoreEntry[];
}

export interface SuppressionContext {
  /** The moment expiry dates are judged at (their UTC day). */
  readonly now: Date;
  /** The image the findings were made in, for VEX products that name the image. */
  readonly image: ImageIdentity;
}

function vexReason(statement: VexStatement): string {
  const label = statement.status === 'fixed' ? 'fixed' : (statement.justification ?? 'not_affected');
  return statement.impactStatement ? `${label}: ${statement.impactStatement}` : label;
}

function byVex(finding: VulnerabilityFinding, statement: VexStatement): SuppressedFinding | undefined {
  if (statement.status !== 'not_affected' && statement.status !== 'fixed') return undefined;
  return {
    finding,
    by: 'vex',
    reason: vexReason(statement),
    source: statement.source,
    status: statement.status,
    ...(statement.justification ? { justification: statement.justification } : {}),
    ...(statement.impactStatement ? { impactStatement: statement.impactStatement } : {}),
    document: statement.document,
    timestamp: statement.timestamp,
  };
}

function byIgnoreFile(finding: VulnerabilityFinding, entry: IgnoreEntry, source: string): SuppressedFinding {
  return {
    finding,
    by: 'ignore-file',
    reason: entry.reason,
    source,
    rule: {
      id: entry.id,
      ...(entry.package !== undefined ? { package: entry.package } : {}),
      ...(entry.path !== undefined ? { path: entry.path } : {}),
      ...(entry.expires !== undefined ? { expires: entry.expires } : {}),
    },
  };
}

/**
 * Applies ignore files and OpenVEX documents to the findings of one image, after matching.
 *
 * VEX first: the statement in force for a finding (the latest about it) suppresses it when its
 * status is `not_affected` (shown with its justification and impact statement) or `fixed`;
 * `affected` and `under_investigation` keep it, and a later `affected` statement overrides an
 * earlier `not_affected`. Then the ignore files: the first entry, in file order, that names the
 * finding and has not expired suppresses it with its reason. Expired entries never apply; they
 * are returned so they can be reported.
 */
export function applySuppressions(
  findings: readonly VulnerabilityFinding[],
  rules: SuppressionRules,
  context: SuppressionContext,
): SuppressionResult {
  const today = utcDay(context.now);
  const live: { readonly entry: IgnoreEntry; readonly source: string }[] = [];
  const expired: { entry: IgnoreEntry; source: string; findings: number }[] = [];
  for (const file of rules.ignoreFiles) {
    for (const entry of file.entries) {
      if (isExpired(entry, today)) expired.push({ entry, source: file.source, findings: 0 });
      else live.push({ entry, source: file.source });
    }
  }
  const kept: VulnerabilityFinding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    for (const stale of expired) if (ignoreEntryMatches(stale.entry, finding)) stale.findings++;
    const statement = effectiveStatement(rules.vexDocuments, finding, context.image);
    const vex = statement ? byVex(finding, statement) : undefined;
    if (vex) {
      suppressed.push(vex);
      continue;
    }
    const rule = live.find(({ entry }) => ignoreEntryMatches(entry, finding));
    if (rule) {
      suppressed.push(byIgnoreFile(finding, rule.entry, rule.source));
      continue;
    }
    kept.push(finding);
  }
  return { kept, suppressed, expired };
}
