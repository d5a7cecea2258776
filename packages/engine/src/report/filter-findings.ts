import { severityOrder, type Severity, type VulnerabilityFinding } from '../match/finding.ts';

function isSeverity(value: string): value is Severity {
  return Object.hasOwn(severityOrder, value);
}

/** Every severity, most severe first. */
export const severities: readonly Severity[] = Object.keys(severityOrder)
  .filter(isSeverity)
  .sort((a, b) => severityOrder[b] - severityOrder[a]);

export type SeverityListResult =
  | { readonly ok: true; readonly severities: readonly Severity[] }
  | { readonly ok: false; readonly invalid: readonly string[] };

/**
 * Parses a `--severity` list: comma-separated severity names in any case (`HIGH,CRITICAL`,
 * `high, critical`). Empty items are ignored; an empty list, or a name that is not a severity,
 * is an error that lists the names it could not read.
 */
export function parseSeverityList(text: string): SeverityListResult {
  const names = text
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const invalid = names.filter((name) => !isSeverity(name));
  if (invalid.length > 0 || names.length === 0)
    return { ok: false, invalid: invalid.length > 0 ? invalid : [text] };
  return { ok: true, severities: [...new Set(names.filter(isSeverity))] };
}

export interface FindingFilter {
  /** Keep only findings of these severities (undefined: every severity). */
  readonly severities?: readonly Severity[];
  /** Drop findings that no released version fixes yet. */
  readonly ignoreUnfixed?: boolean;
}

/** Applies `--severity` and `--ignore-unfixed` to findings (after suppressions). */
export function filterFindings(
  findings: readonly VulnerabilityFinding[],
  filter: FindingFilter,
): VulnerabilityFinding[] {
  const wanted = filter.severities ? new Set(filter.severities) : undefined;
  return findings.filter((finding) => {
    if (wanted && !wanted.has(finding.severity)) return false;
    if (filter.ignoreUnfixed && finding.fixedVersions.length === 0) return false;
    return true;
  });
}
