import type { RiskType } from '../api/task-types.ts';

/**
 * PRODUCT.md 3.1's names of the risk types, for the policy's checkboxes and summary. (The scan
 * dialog keeps the same names privately; both could share one list in format/.)
 */
export const riskTypeLabels: Readonly<Record<RiskType, string>> = {
  vulnerability: 'Vulnerabilities',
  baseline: 'Baseline',
  malware: 'Malicious files',
  secret: 'Sensitive information',
  compliance: 'Software compliance',
};
