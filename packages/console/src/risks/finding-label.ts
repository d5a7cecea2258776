import type { RiskFinding, RiskViewKind } from '../api/risk-types.ts';

type Labels = { readonly [K in RiskViewKind]: (group: RiskFinding<K>) => string };

/** A finding in a few words, for accessible names and tooltips ("CVE-1 in musl 1.1.23-r1"). */
export const findingLabels: Labels = {
  vulnerability: ({ finding }) => `${finding.id} in ${finding.package.name} ${finding.installedVersion}`,
  secret: ({ finding }) => `${finding.ruleId} at ${finding.path}`,
  malware: ({ finding }) => `${finding.signature} at ${finding.path}`,
  baseline: ({ finding }) => finding.id,
  compliance: ({ finding }) =>
    [finding.rule, 'on', finding.software, finding.version].filter(Boolean).join(' '),
  inventory: ({ finding }) => `${finding.name} ${finding.version}`,
};
