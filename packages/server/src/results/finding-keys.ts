import type {
  BaselineCheckResult,
  ComplianceFinding,
  ImageReport,
  InventoryPackage,
  MalwareFinding,
  SecretFinding,
  VulnerabilityFinding,
} from '@drydock/engine';

/**
 * What a finding is across images (PRODUCT.md 8, risk views): each risk kind says which findings
 * of a stored report it holds, when two of them are the same finding (the key), and how severe it
 * is. The risk views, the finding index and the exports all group by these keys.
 *
 * Identities: an advisory in a package version; a secret's rule and path; a malicious file's
 * signature and content; a baseline check; a compliance rule on software and version; a package
 * version (by purl where it has one).
 */

export const riskViewKinds = [
  'vulnerability',
  'secret',
  'malware',
  'baseline',
  'compliance',
  'inventory',
] as const;
export type RiskViewKind = (typeof riskViewKinds)[number];

/** The finding type of each kind as the stored report holds it. */
export interface StoredFindingOf {
  readonly vulnerability: VulnerabilityFinding;
  readonly secret: SecretFinding;
  readonly malware: MalwareFinding;
  readonly baseline: BaselineCheckResult;
  readonly compliance: ComplianceFinding;
  readonly inventory: InventoryPackage;
}

export interface FindingKind<F> {
  /** The findings of this kind in a report, in report order. */
  findings(report: ImageReport): readonly F[];
  key(finding: F): string;
  /** Undefined for packages, which carry no severity. */
  severity(finding: F): string | undefined;
  /** A vulnerability's advisory, which handling decisions name; undefined for other kinds. */
  advisoryId(finding: F): string | undefined;
}

const none = () => undefined;

// Baseline findings are the failed checks: passed and not-applicable checks are no risk.
export const findingKinds: { readonly [K in RiskViewKind]: FindingKind<StoredFindingOf[K]> } = {
  vulnerability: {
    findings: (report) => report.vulnerabilities ?? [],
    key: (finding) =>
      [finding.id, finding.package.ecosystem, finding.package.name, finding.installedVersion].join(' '),
    severity: (finding) => finding.severity,
    advisoryId: (finding) => finding.id,
  },
  secret: {
    findings: (report) => report.secrets ?? [],
    key: (finding) => `${finding.ruleId} ${finding.path}`,
    severity: (finding) => finding.severity,
    advisoryId: none,
  },
  malware: {
    findings: (report) => report.malware ?? [],
    key: (finding) => `${finding.signature} ${finding.sha256}`,
    severity: (finding) => finding.severity,
    advisoryId: none,
  },
  baseline: {
    findings: (report) => (report.baseline?.checks ?? []).filter((check) => check.result === 'fail'),
    key: (finding) => finding.id,
    severity: (finding) => finding.severity,
    advisoryId: none,
  },
  compliance: {
    findings: (report) => report.compliance?.findings ?? [],
    key: (finding) => [finding.rule, finding.software, finding.version ?? ''].join(' '),
    severity: (finding) => finding.severity,
    advisoryId: none,
  },
  inventory: {
    findings: (report) => report.packages,
    key: (finding) => finding.purl || [finding.ecosystem, finding.name, finding.version].join(' '),
    severity: none,
    advisoryId: none,
  },
};

const severityRanks: Readonly<Record<string, number>> = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
  unknown: 0,
};

/** Most severe first: critical 4 … unknown 0; -1 for no severity (packages). */
export function severityRank(severity: string | undefined): number {
  return severity === undefined ? -1 : (severityRanks[severity] ?? -1);
}

/** One distinct finding of a report, as the finding index stores it. */
export interface KeyedFinding {
  readonly kind: RiskViewKind;
  readonly key: string;
  readonly severity: string | undefined;
  readonly advisoryId: string | undefined;
  readonly finding: unknown;
}

function keyedOf<K extends RiskViewKind>(kind: K, report: ImageReport): KeyedFinding[] {
  const definition: FindingKind<StoredFindingOf[K]> = findingKinds[kind];
  return definition.findings(report).map((finding) => ({
    kind,
    key: definition.key(finding),
    severity: definition.severity(finding),
    advisoryId: definition.advisoryId(finding),
    finding,
  }));
}

/** Every distinct finding of every kind in a report (the first of each key kept). */
export function keyedFindings(report: ImageReport): KeyedFinding[] {
  const seen = new Set<string>();
  const distinct: KeyedFinding[] = [];
  for (const kind of riskViewKinds) {
    for (const keyed of keyedOf(kind, report)) {
      const identity = `${kind}\u0000${keyed.key}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      distinct.push(keyed);
    }
  }
  return distinct;
}
