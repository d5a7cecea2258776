import type { FindingCount } from '../api/overview-types.ts';
import type { RiskType } from '../api/task-types.ts';

/**
 * What the finding charts count, and the risk types in the order the overview lists them
 * (vulnerabilities first: the most numerous and the most acted on).
 */

export const overviewRiskTypes: readonly RiskType[] = [
  'vulnerability',
  'secret',
  'malware',
  'baseline',
  'compliance',
];

export const findingMeasures = ['findings', 'imageFindings'] as const;
export type FindingMeasure = (typeof findingMeasures)[number];

export const findingMeasureLabels: Readonly<Record<FindingMeasure, string>> = {
  findings: 'Distinct findings',
  imageFindings: 'Image-findings',
};

/** What each measure means, for the tooltip beside the switch. */
export const findingMeasureHelp: Readonly<Record<FindingMeasure, string>> = {
  findings: 'Each finding counted once, however many images hold it.',
  imageFindings:
    'Each finding counted once per live image holding it (three images with the same finding: three).',
};

/** The count of `kind` and `severity` in `counts` by `measure` (0 when absent). */
export function countOf(
  counts: readonly FindingCount[],
  kind: RiskType,
  severity: FindingCount['severity'],
  measure: FindingMeasure,
): number {
  return counts.find((count) => count.kind === kind && count.severity === severity)?.[measure] ?? 0;
}
