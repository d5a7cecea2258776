import type { ImageReport } from '@drydock/engine';
import type { RiskCounts, RiskLevel } from '../store/schema.ts';

const levelRank: Readonly<Record<RiskLevel, number>> = {
  critical: 5,
  high: 4,
  medium: 3,
  low: 2,
  unknown: 1,
  none: 0,
};

/** Vulnerabilities the project has handled (ignored, repaired, allowlisted) are left out of the counts. */
export type HandledVulnerability = (advisoryId: string, packageName: string) => boolean;

/**
 * The image list's risk counts of one scanned platform: vulnerabilities per severity, secrets,
 * malicious files, failed baseline checks and compliance findings.
 */
export function riskCounts(report: ImageReport, handled: HandledVulnerability = () => false): RiskCounts {
  const vulnerability = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  for (const finding of report.vulnerabilities ?? []) {
    if (!handled(finding.id, finding.package.name)) vulnerability[finding.severity] += 1;
  }
  return {
    vulnerability,
    secret: report.secrets?.length ?? 0,
    malware: report.malware?.length ?? 0,
    baseline: report.baseline?.checks.filter((check) => check.result === 'fail').length ?? 0,
    compliance: report.compliance?.findings.length ?? 0,
  };
}

/**
 * The image's risk level: the highest severity among its findings (a malicious file is critical),
 * `unknown` when only findings of unknown severity exist, `none` when there are none.
 */
export function riskLevel(report: ImageReport, handled: HandledVulnerability = () => false): RiskLevel {
  const levels: RiskLevel[] = [];
  for (const finding of report.vulnerabilities ?? []) {
    if (!handled(finding.id, finding.package.name)) levels.push(finding.severity);
  }
  for (const secret of report.secrets ?? []) levels.push(secret.severity);
  if ((report.malware?.length ?? 0) > 0) levels.push('critical');
  for (const check of report.baseline?.checks ?? []) if (check.result === 'fail') levels.push(check.severity);
  for (const finding of report.compliance?.findings ?? []) levels.push(finding.severity);
  return levels.reduce<RiskLevel>(
    (worst, level) => (levelRank[level] > levelRank[worst] ? level : worst),
    'none',
  );
}

/** The worse of two levels (a multi-architecture image shows its worst platform). */
export function worseRiskLevel(a: RiskLevel, b: RiskLevel): RiskLevel {
  return levelRank[a] >= levelRank[b] ? a : b;
}

/** Sums platform counts for the parent of a multi-architecture image. */
export function addRiskCounts(a: RiskCounts, b: RiskCounts): RiskCounts {
  return {
    vulnerability: {
      critical: a.vulnerability.critical + b.vulnerability.critical,
      high: a.vulnerability.high + b.vulnerability.high,
      medium: a.vulnerability.medium + b.vulnerability.medium,
      low: a.vulnerability.low + b.vulnerability.low,
      unknown: a.vulnerability.unknown + b.vulnerability.unknown,
    },
    secret: a.secret + b.secret,
    malware: a.malware + b.malware,
    baseline: a.baseline + b.baseline,
    compliance: a.compliance + b.compliance,
  };
}

/** What the image list shows of one result (a platform) or of several together. */
export interface RiskSummary {
  readonly riskCounts: RiskCounts;
  readonly riskLevel: RiskLevel;
}

/**
 * Several platforms as one image (PRODUCT.md 3.4): their counts summed, the worst platform's
 * level; undefined for none.
 */
export function combineRisks(platforms: readonly RiskSummary[]): RiskSummary | undefined {
  const [first, ...rest] = platforms;
  if (first === undefined) return undefined;
  return rest.reduce<RiskSummary>(
    (sum, platform) => ({
      riskCounts: addRiskCounts(sum.riskCounts, platform.riskCounts),
      riskLevel: worseRiskLevel(sum.riskLevel, platform.riskLevel),
    }),
    first,
  );
}

/** True when the counts hold any finding (the task's `risky` count). */
export function isRisky(counts: RiskCounts): boolean {
  const v = counts.vulnerability;
  return (
    v.critical +
      v.high +
      v.medium +
      v.low +
      v.unknown +
      counts.secret +
      counts.malware +
      counts.baseline +
      counts.compliance >
    0
  );
}
