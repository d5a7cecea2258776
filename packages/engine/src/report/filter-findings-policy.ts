import type { ImageReport, ScanReport, SuppressedFinding } from '../scan/result.ts';
import { filterFindings, type FindingFilter } from './filter-findings.ts';
import { imageIdentity } from './suppressions-image-identity.ts';
import { applySuppressions, type ExpiredIgnoreEntry, type SuppressionRules } from './suppressions.ts';

/** What a user asked to see of the findings: suppressions first, then the filters. */
export interface FindingPolicy extends FindingFilter {
  readonly suppressions: SuppressionRules;
  /** The moment ignore-file expiry dates are judged at. */
  readonly now: Date;
}

export interface PolicyOutcome {
  readonly report: ScanReport;
  /** Expired ignore entries (once each, whatever the number of images), to be reported. */
  readonly expired: readonly ExpiredIgnoreEntry[];
}

/**
 * Applies a finding policy to a scan report: per image, ignore files and VEX documents move
 * findings to `suppressedVulnerabilities` (with their reasons), then `--severity` and
 * `--ignore-unfixed` drop findings from both lists, so what is suppressed is shown only where
 * it would otherwise have been reported. `--severity` also filters secrets, malicious files,
 * compliance findings and failed baseline checks (passed and not applicable checks stay listed).
 */
export function applyFindingPolicy(report: ScanReport, policy: FindingPolicy): PolicyOutcome {
  const expired = new Map<ExpiredIgnoreEntry['entry'], ExpiredIgnoreEntry>();
  const wanted = policy.severities ? new Set<string>(policy.severities) : undefined;
  const images = report.images.map((unfiltered): ImageReport => {
    // Secrets and malware have no fixed versions: only the severity filter applies to them.
    const image: ImageReport = wanted
      ? {
          ...unfiltered,
          ...(unfiltered.secrets
            ? { secrets: unfiltered.secrets.filter((s) => wanted.has(s.severity)) }
            : {}),
          ...(unfiltered.malware
            ? { malware: unfiltered.malware.filter((m) => wanted.has(m.severity)) }
            : {}),
          ...(unfiltered.baseline
            ? {
                baseline: {
                  ...unfiltered.baseline,
                  checks: unfiltered.baseline.checks.filter(
                    (check) => check.result !== 'fail' || wanted.has(check.severity),
                  ),
                },
              }
            : {}),
          ...(unfiltered.compliance
            ? {
                compliance: {
                  ...unfiltered.compliance,
                  findings: unfiltered.compliance.findings.filter((f) => wanted.has(f.severity)),
                },
              }
            : {}),
        }
      : unfiltered;
    if (image.vulnerabilities === undefined) return image;
    const result = applySuppressions(image.vulnerabilities, policy.suppressions, {
      now: policy.now,
      image: imageIdentity(report, image),
    });
    for (const entry of result.expired) {
      const seen = expired.get(entry.entry);
      expired.set(entry.entry, seen ? { ...seen, findings: seen.findings + entry.findings } : entry);
    }
    const kept = filterFindings(result.kept, policy);
    const keptSuppressed = new Set(
      filterFindings(
        result.suppressed.map((entry) => entry.finding),
        policy,
      ),
    );
    const suppressed: SuppressedFinding[] = result.suppressed.filter((entry) =>
      keptSuppressed.has(entry.finding),
    );
    const { suppressedVulnerabilities: _previous, ...rest } = image;
    return {
      ...rest,
      vulnerabilities: kept,
      ...(suppressed.length > 0 ? { suppressedVulnerabilities: suppressed } : {}),
    };
  });
  return { report: { ...report, images }, expired: [...expired.values()] };
}

/**
 * The findings that fail a CI run (`--exit-code`): those still reported after the policy:
 * vulnerabilities whose status is `affected`, secrets, malicious files, failed baseline checks and
 * compliance findings. Vulnerabilities of unknown status (a version that could not be evaluated)
 * are reported apart and never counted.
 */
export function countBlockingFindings(report: ScanReport): number {
  let count = 0;
  for (const image of report.images) {
    for (const finding of image.vulnerabilities ?? []) if (finding.status === 'affected') count++;
    count += (image.secrets?.length ?? 0) + (image.malware?.length ?? 0);
    count += image.baseline?.checks.filter((check) => check.result === 'fail').length ?? 0;
    count += image.compliance?.findings.length ?? 0;
  }
  return count;
}
