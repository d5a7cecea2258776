/**
 * Checks a version scheme against comparison vectors, with exceptions named and explained:
 * test support only. Every comparison must hold both ways (`a` against `b` and `b` against `a`),
 * except the ones an exception group lists, which must still differ (so an exception that no
 * longer applies is noticed) and for which the group's stated fact must hold.
 */
import { relationOf, reversed, type Comparison } from './vector-files.ts';

export interface ExceptionGroup {
  readonly reason: string;
  /** `file:line` of each comparison the reason explains. */
  readonly lines: readonly string[];
  /** The fact behind the reason, checked on every listed comparison (for example: one side is invalid). */
  readonly explains?: (comparison: Comparison) => boolean;
}

/** `file:line` names for line numbers of one file. */
export function linesOf(file: string, numbers: readonly number[]): readonly string[] {
  return numbers.map((line) => `${file}:${line}`);
}

/** Problems found, one message each; an empty list means every vector is accounted for. */
export function checkComparisons(
  compare: (a: string, b: string) => number,
  comparisons: readonly Comparison[],
  exceptions: readonly ExceptionGroup[] = [],
): readonly string[] {
  const problems: string[] = [];
  const excepted = new Map<string, ExceptionGroup>();
  for (const group of exceptions) for (const line of group.lines) excepted.set(line, group);
  const seen = new Set<string>();
  for (const comparison of comparisons) {
    const { where, a, b, relation } = comparison;
    seen.add(where);
    const forward = relationOf(compare(a, b));
    const backward = relationOf(compare(b, a));
    const agrees = forward === relation && backward === reversed(relation);
    const group = excepted.get(where);
    if (group === undefined) {
      if (!agrees) problems.push(`${where}: ${a} ${relation} ${b}, got ${forward} (reversed ${backward})`);
      continue;
    }
    if (agrees) problems.push(`${where}: listed as an exception (${group.reason}) but now agrees`);
    if (group.explains !== undefined && !group.explains(comparison))
      problems.push(`${where}: listed as an exception (${group.reason}) but that reason does not hold`);
  }
  for (const line of excepted.keys()) if (!seen.has(line)) problems.push(`${line}: exception for no vector`);
  return problems;
}
