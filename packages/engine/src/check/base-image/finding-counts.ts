import type { SeverityLevel } from '../../vulndb/severity.ts';

/** How many findings an image has at each severity. */
export type FindingCounts = Readonly<Record<SeverityLevel, number>>;

/** Most severe first: the order in which two images' counts are compared. */
export const findingSeverities: readonly SeverityLevel[] = ['critical', 'high', 'medium', 'low', 'unknown'];

export const noFindings: FindingCounts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };

/**
 * Negative when `a` is better (fewer findings) than `b`: critical counts decide first, then high,
 * and so on, so one critical weighs more than any number of lower ones.
 */
export function compareFindingCounts(a: FindingCounts, b: FindingCounts): number {
  for (const severity of findingSeverities) {
    const difference = a[severity] - b[severity];
    if (difference !== 0) return difference;
  }
  return 0;
}

export function countBySeverity<T>(
  findings: readonly T[],
  severityOf: (finding: T) => SeverityLevel,
): FindingCounts {
  const counts = { ...noFindings };
  for (const finding of findings) counts[severityOf(finding)]++;
  return counts;
}
