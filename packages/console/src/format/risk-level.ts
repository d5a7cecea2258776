import type { RiskLevel } from '../api/image-types.ts';

export const riskLevelLabels: Readonly<Record<RiskLevel, string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  unknown: 'Unknown',
  none: 'No risk',
};

/** Severity colours shared by tags and charts. */
export const riskLevelColors: Readonly<Record<RiskLevel, string>> = {
  critical: '#a8071a',
  high: '#f5222d',
  medium: '#fa8c16',
  low: '#fadb14',
  unknown: '#8c8c8c',
  none: '#52c41a',
};

/** Images never scanned (successfully) have no risk level. */
export const notAssessedLabel = 'Not assessed';
export const notAssessedColor = '#d9d9d9';
