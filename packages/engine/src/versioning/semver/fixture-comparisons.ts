/**
 * Test support: node-semver's `comparisons` (v1 > v2) and `equality` (v1 == v2) fixture rows as
 * comparisons for ../vector-check.ts, named `comparisons[i]` / `equality[i]`. Tests only.
 */
import type { Comparison } from '../vector-files.ts';
import { fixtureRows, versionField } from './node-semver-fixtures.ts';
import type { FixtureRow, FixtureTables } from './node-semver-fixtures.ts';

export function fixtureComparisons(
  fixtures: FixtureTables,
  keep: (row: FixtureRow) => boolean = () => true,
): readonly Comparison[] {
  const from = (table: 'comparisons' | 'equality', relation: '>' | '='): Comparison[] =>
    fixtureRows(fixtures, table).flatMap((row, index) =>
      keep(row)
        ? [{ where: `${table}[${index}]`, a: versionField(row, 0), b: versionField(row, 1), relation }]
        : [],
    );
  return [...from('comparisons', '>'), ...from('equality', '=')];
}
