/**
 * The Go scheme against ../shared/testvectors/version-compare/go-semver/ (golang/mod's own
 * semver_test.go table) and osv-scalibr's semver file, which osv-scanner uses for Go too
 * (formats in the README there).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareValidOnly, refusesASide } from '../semver/valid-sides.ts';
import { checkComparisons, linesOf } from '../vector-check.ts';
import { readComparisonLines, readTsv } from '../vector-files.ts';
import { goScheme } from './scheme.ts';

/** golang/mod's table: rows in increasing order; equal canonical forms compare equal. */
const table = readTsv('go-semver', 'golang-mod-semver-tests.tsv').map((row) => ({
  where: row.line ?? '',
  index: Number(row.index),
  input: row.in ?? '',
  canonical: row.canonical === '(invalid)' ? undefined : row.canonical,
}));

const withoutV = (version: string): string => (version.startsWith('v') ? version.slice(1) : version);

describe('Go vectors', () => {
  it('golang-mod-semver-tests.tsv: valid exactly where x/mod gives a canonical form', () => {
    assert.equal(table.length, 32);
    for (const row of table)
      assert.equal(goScheme.isValid(row.input), row.canonical !== undefined, row.where);
  });

  it('golang-mod-semver-tests.tsv: every pair ordered as x/mod TestCompare, with and without the v', () => {
    const problems: string[] = [];
    for (const x of table) {
      for (const y of table) {
        // TestCompare: equal canonical forms (all invalid ones alike) are equal, else the row order.
        const want = x.canonical === y.canonical ? 0 : Math.sign(x.index - y.index);
        if (Math.sign(goScheme.compare(x.input, y.input)) !== want) problems.push(`${x.input} vs ${y.input}`);
        if (x.canonical === undefined || y.canonical === undefined) continue;
        if (Math.sign(goScheme.compare(withoutV(x.input), y.input)) !== want)
          problems.push(`${withoutV(x.input)} vs ${y.input}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('osv-scalibr-semver-versions.txt', () => {
    const file = 'osv-scalibr-semver-versions.txt';
    const comparisons = readComparisonLines('npm-semver', file);
    assert.equal(comparisons.length, 86);
    const exceptions = [
      {
        reason:
          '1.1.3.4.5: golang.org/x/mod/semver takes at most three numbers and calls it invalid (x/mod would still say "=", as it makes all invalid versions equal)',
        lines: linesOf(file, [92]),
        explains: refusesASide(goScheme),
      },
    ];
    assert.deepEqual(checkComparisons(compareValidOnly(goScheme), comparisons, exceptions), []);
  });
});
