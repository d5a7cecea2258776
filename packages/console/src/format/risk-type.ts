import type { RiskType } from '../api/task-types.ts';

/** PRODUCT.md 3.1's names of the risk types (scan and policy choices, task and report summaries). */
export const riskTypeLabels: Readonly<Record<RiskType, string>> = {
  vulnerability: 'Vulnerabilities',
  baseline: 'Baseline',
  malware: 'Malicious files',
  secret: 'Sensitive information',
  compliance: 'Software compliance',
};
