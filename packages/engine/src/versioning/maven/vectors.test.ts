/**
 * The Maven scheme against every vector in ../shared/testvectors/version-compare/maven/ (formats
 * in the README there). Comparisons must hold both ways; vectors that follow Maven 3.9's
 * reworked ordering are named in maven-three-nine.ts and checked to still differ here (and to
 * agree with the real Maven 3.8.7 in oracle.test.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkComparisons } from '../vector-check.ts';
import { readComparisonLines, readTsv, versionVectors, type Comparison } from '../vector-files.ts';
import { mavenThreeNineExceptions } from './maven-three-nine.ts';
import { mavenScheme } from './scheme.ts';

const folder = 'maven';

describe('maven vectors', () => {
  it('maven-ComparableVersionTest-ordered.json: both lists strictly increasing, every pair', () => {
    const file: { readonly ordered_lists: Readonly<Record<string, readonly string[]>> } = JSON.parse(
      readFileSync(join(versionVectors, folder, 'maven-ComparableVersionTest-ordered.json'), 'utf8'),
    );
    const lists = Object.entries(file.ordered_lists);
    assert.equal(
      lists.reduce((sum, [, list]) => sum + list.length, 0),
      46,
    );
    for (const [name, list] of lists) {
      const comparisons: Comparison[] = [];
      list.forEach((a, i) =>
        list.forEach((b, j) =>
          comparisons.push({
            where: `${name}[${i}] vs [${j}]`,
            a,
            b,
            relation: i < j ? '<' : i > j ? '>' : '=',
          }),
        ),
      );
      assert.deepEqual(checkComparisons(mavenScheme.compare, comparisons), []);
    }
  });

  it('maven-ComparableVersionTest-pairs.tsv (`=order`: same order, different canonical form)', () => {
    const rows = readTsv(folder, 'maven-ComparableVersionTest-pairs.tsv');
    assert.equal(rows.length, 66);
    const comparisons = rows.map((row): Comparison => {
      const op = row.op === '=order' ? '=' : row.op;
      assert.ok(op === '<' || op === '=', `${row.line}: op ${row.op}`);
      return { where: row.line ?? '', a: row.a ?? '', b: row.b ?? '', relation: op };
    });
    assert.deepEqual(checkComparisons(mavenScheme.compare, comparisons), []);
  });

  for (const [file, count] of [
    ['claircore-maven-compare.list', 84],
    ['osv-scalibr-maven-versions.txt', 102],
    ['osv-scalibr-maven-versions-generated.txt', 14_752],
  ] as const) {
    it(file, () => {
      const comparisons = readComparisonLines(folder, file);
      assert.equal(comparisons.length, count);
      const exceptions = mavenThreeNineExceptions[file];
      assert.deepEqual(
        checkComparisons(mavenScheme.compare, comparisons, exceptions ? [exceptions] : []),
        [],
      );
    });
  }

  it('every version of the files is valid', () => {
    for (const file of ['claircore-maven-compare.list', 'osv-scalibr-maven-versions-generated.txt'])
      for (const { a, b } of readComparisonLines(folder, file)) {
        assert.ok(mavenScheme.isValid(a), a);
        assert.ok(mavenScheme.isValid(b), b);
      }
    assert.ok(!mavenScheme.isValid(''));
    assert.ok(!mavenScheme.isValid('1.0 beta'));
  });
});
