import type { Ecosystem } from '../../analyzer/fact.ts';
import type { InventoryPackage } from '../../inventory/coalesce-packages.ts';
import type { ComplianceFinding, ComplianceSeverity } from './compliance-finding.ts';
import type { ResolvedPolicy } from './compliance-policy.ts';
import { evaluateLicenses, type LicenseEvaluation, type LicenseVerdict } from './evaluate-license.ts';
import type { LicenseCategory } from './license-category.ts';

/** How the image's packages divide over the licence categories. */
export interface LicenseSummary {
  readonly packages: number;
  /** Packages per category (of the licence expression as a whole); undeclared ones count as `unknown`. */
  readonly byCategory: Readonly<Record<LicenseCategory, number>>;
  /** Packages that declare no licence at all. */
  readonly undeclared: number;
  /** Packages with a licence finding. */
  readonly violations: number;
}

const osEcosystems: ReadonlySet<Ecosystem> = new Set(['deb', 'apk', 'rpm']);

const severityOf: Readonly<Record<Exclude<LicenseVerdict, 'allowed'>, ComplianceSeverity>> = {
  denied: 'high',
  forbidden: 'high',
  restricted: 'medium',
  unknown: 'low',
};

function ruleOf(evaluation: LicenseEvaluation, verdict: Exclude<LicenseVerdict, 'allowed'>): string {
  if (evaluation.undeclared) return 'license-undeclared';
  const license = evaluation.deciding[0]?.license;
  if (verdict === 'unknown') return 'license-unknown';
  return license ? `license-${verdict}:${license}` : `license-${verdict}`;
}

function reasonOf(evaluation: LicenseEvaluation, verdict: Exclude<LicenseVerdict, 'allowed'>): string {
  if (evaluation.undeclared) return 'The package declares no licence.';
  const declared = evaluation.expression ?? evaluation.unreadable.join('; ');
  const terms = evaluation.deciding.map((term) => `${term.license} (${term.category})`).join(', ');
  switch (verdict) {
    case 'denied':
      return `Licence ${declared}: ${terms} is on the project's deny list.`;
    case 'forbidden':
      return `Licence ${declared}: ${terms} falls in a category the policy forbids.`;
    case 'restricted':
      return `Licence ${declared}: ${terms} falls in a category the policy restricts; review its obligations.`;
    case 'unknown':
      return evaluation.unreadable.length > 0 && evaluation.expression === undefined
        ? `Licence "${declared}" is not an SPDX expression and could not be corrected to one.`
        : `Licence ${declared}: ${terms} could not be classified.`;
  }
}

function findingOf(
  pkg: InventoryPackage,
  evaluation: LicenseEvaluation,
  policy: ResolvedPolicy,
): ComplianceFinding | undefined {
  const verdict = evaluation.verdict;
  if (verdict === 'allowed') return undefined;
  if (verdict === 'unknown' && !(evaluation.undeclared ? policy.reportUndeclared : policy.reportUnknown))
    return undefined;
  if (verdict === 'restricted' && policy.restrictedScope === 'application' && osEcosystems.has(pkg.ecosystem))
    return undefined;
  return {
    type: 'license',
    severity: severityOf[verdict],
    software: pkg.name,
    version: pkg.version,
    ecosystem: pkg.ecosystem,
    purl: pkg.purl,
    path: pkg.path,
    layerIndex: pkg.layer.index,
    reason: reasonOf(evaluation, verdict),
    rule: ruleOf(evaluation, verdict),
  };
}

/** Licence findings of the inventory under a policy, and the category counts. */
export function licenseCompliance(
  packages: readonly InventoryPackage[],
  policy: ResolvedPolicy,
): { findings: ComplianceFinding[]; summary: LicenseSummary } {
  const byCategory: Record<LicenseCategory, number> = {
    forbidden: 0,
    restricted: 0,
    reciprocal: 0,
    notice: 0,
    permissive: 0,
    unencumbered: 0,
    unknown: 0,
  };
  const findings: ComplianceFinding[] = [];
  let undeclared = 0;
  for (const pkg of packages) {
    const evaluation = evaluateLicenses(pkg.licenses, policy);
    byCategory[evaluation.category] += 1;
    if (evaluation.undeclared) undeclared += 1;
    const finding = findingOf(pkg, evaluation, policy);
    if (finding) findings.push(finding);
  }
  return {
    findings,
    summary: { packages: packages.length, byCategory, undeclared, violations: findings.length },
  };
}
