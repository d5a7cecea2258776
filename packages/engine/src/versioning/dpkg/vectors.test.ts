/**
 * The dpkg scheme against every Debian vector in ../shared/testvectors/version-compare/dpkg/
 * (formats in the README there). Each comparison must hold both ways; the one vector Drydock
 * does not follow is named with its reason and checked to still differ.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkComparisons } from '../vector-check.ts';
import { readComparisonLines, readTsv, type Comparison, type Relation } from '../vector-files.ts';
import { dpkgScheme } from './scheme.ts';

const folder = 'dpkg';

function tsvComparisons(file: string): readonly Comparison[] {
  return readTsv(folder, file).map((row) => {
    const relation = row.op;
    assert.ok(relation === '<' || relation === '=' || relation === '>', `${row.line}: op ${relation}`);
    return { where: row.line ?? file, a: row.a ?? '', b: row.b ?? '', relation: relation satisfies Relation };
  });
}

describe('dpkg vectors', () => {
  it('dpkg-Dpkg_Version.t.tsv (dpkg’s own test data)', () => {
    const comparisons = tsvComparisons('dpkg-Dpkg_Version.t.tsv');
    assert.equal(comparisons.length, 43);
    assert.deepEqual(checkComparisons(dpkgScheme.compare, comparisons), []);
    for (const { a, b } of comparisons) {
      assert.ok(dpkgScheme.isValid(a), a);
      assert.ok(dpkgScheme.isValid(b), b);
    }
  });

  for (const [file, count] of [
    ['osv-scalibr-debian-versions.txt', 30],
    ['osv-scalibr-debian-versions-generated.txt', 14_442],
  ] as const) {
    it(file, () => {
      const comparisons = readComparisonLines(folder, file);
      assert.equal(comparisons.length, count);
      assert.deepEqual(checkComparisons(dpkgScheme.compare, comparisons), []);
    });
  }

  it('go-deb-version-lessthan.tsv (`<` and `not<`)', () => {
    const rows = readTsv(folder, 'go-deb-version-lessthan.tsv');
    assert.equal(rows.length, 12);
    for (const row of rows) {
      assert.ok(row.op === '<' || row.op === 'not<', `${row.line}: op ${row.op}`);
      const less = dpkgScheme.compare(row.a ?? '', row.b ?? '') < 0;
      assert.equal(less, row.op === '<', `${row.line}: ${row.a} ${row.op} ${row.b}`);
    }
  });

  it('go-deb-version-valid.tsv', () => {
    /** Versions whose validity Drydock judges differently, with the reason. */
    const exceptions: Readonly<Record<string, string>> = {
      '6.0-4.el6.x86_64':
        'go-deb-version accepts `_` in the revision; Debian Policy 5.6.12 allows only alphanumerics and + . ~ there, and dpkg warns "invalid character in revision number"',
    };
    const rows = readTsv(folder, 'go-deb-version-valid.tsv');
    assert.equal(rows.length, 11);
    for (const row of rows) {
      const version = row.version ?? '';
      const expected = row.valid === 'true';
      const reason = exceptions[version];
      if (reason === undefined)
        assert.equal(dpkgScheme.isValid(version), expected, `${row.line}: ${version}`);
      else
        assert.notEqual(
          dpkgScheme.isValid(version),
          expected,
          `${row.line}: exception no longer differs: ${reason}`,
        );
    }
    for (const version of Object.keys(exceptions))
      assert.ok(
        rows.some((row) => row.version === version),
        `exception for ${version}, which is no vector`,
      );
  });
});
