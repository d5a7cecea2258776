/**
 * The rpm scheme against every RPM vector in ../shared/testvectors/version-compare/rpm/ (formats
 * in the README there). `rpmvercmp` is the comparison of one field; `rpmScheme.compare` splits
 * `[epoch:]version[-release]` first. Vectors written for the field comparison (rpm's
 * rpmvercmp.at, go-rpm-version's table, which feeds `1-2-3-4` in as one field) run against
 * `rpmvercmp`, and, where they hold no `-` or `:`, against the scheme too. Vectors Drydock does
 * not follow are named with their reason and checked to still differ.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkComparisons, linesOf } from '../vector-check.ts';
import {
  readComparisonLines,
  readTsv,
  versionVectors,
  type Comparison,
  type Relation,
} from '../vector-files.ts';
import { splitRpmEvr } from './parse-evr.ts';
import { rpmvercmp } from './rpmvercmp.ts';
import { rpmScheme } from './scheme.ts';

const folder = 'rpm';

/** go-rpm-version writes the empty string as `(empty)`. */
function tsvComparisons(file: string): readonly Comparison[] {
  const field = (value: string | undefined): string => (value === '(empty)' ? '' : (value ?? ''));
  return readTsv(folder, file).map((row) => {
    const relation = row.op;
    assert.ok(relation === '<' || relation === '=' || relation === '>', `${row.line}: op ${relation}`);
    return {
      where: row.line ?? file,
      a: field(row.a),
      b: field(row.b),
      relation: relation satisfies Relation,
    };
  });
}

const singleField = (comparison: Comparison): boolean => !/[-:]/.test(comparison.a + comparison.b);

describe('rpm vectors', () => {
  for (const [file, count] of [
    ['rpm-rpmvercmp.at.tsv', 91],
    // rpm keeps these commented out as "oddities" of current behaviour (RhBug:811992, non-ASCII):
    // they document what rpmvercmp does today, and Drydock does the same.
    ['rpm-rpmvercmp.at-disabled-oddities.tsv', 12],
    ['go-rpm-version.tsv', 4_489],
  ] as const) {
    it(file, () => {
      const comparisons = tsvComparisons(file);
      assert.equal(comparisons.length, count);
      assert.deepEqual(checkComparisons(rpmvercmp, comparisons), []);
      assert.deepEqual(checkComparisons(rpmScheme.compare, comparisons.filter(singleField)), []);
    });
  }

  it('claircore-rpmver-rpmvercmp.txt', () => {
    const comparisons = readComparisonLines(folder, 'claircore-rpmver-rpmvercmp.txt');
    assert.equal(comparisons.length, 113);
    assert.deepEqual(checkComparisons(rpmvercmp, comparisons), []);
    assert.deepEqual(checkComparisons(rpmScheme.compare, comparisons), []);
  });

  it('osv-scalibr-redhat-versions.txt (EVR strings)', () => {
    const comparisons = readComparisonLines(folder, 'osv-scalibr-redhat-versions.txt');
    assert.equal(comparisons.length, 165);
    assert.deepEqual(checkComparisons(rpmScheme.compare, comparisons), []);
  });

  it('claircore-rpmver-compare.txt (EVR and NEVRA strings)', () => {
    const file = 'claircore-rpmver-compare.txt';
    const comparisons = readComparisonLines(folder, file);
    assert.equal(comparisons.length, 12);
    const nevra = {
      reason:
        'a full NEVRA (name-[epoch:]version-release.arch); the scheme compares EVRs, and the rpm analyzer reads name, epoch, version, release and arch as separate header tags, so Drydock never has to split a NEVRA string',
      lines: linesOf(file, [7, 14]),
      explains: (comparison: Comparison) => /^[a-z]/.test(comparison.a) || /^[a-z]/.test(comparison.b),
    };
    assert.deepEqual(checkComparisons(rpmScheme.compare, comparisons, [nevra]), []);
  });

  it('claircore-rpmver-parse.txt (NEVRA split): the EVR-only line splits as expected', () => {
    const lines = readFileSync(join(versionVectors, folder, 'claircore-rpmver-parse.txt'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'))
      .map((line) => line.trim().split(/\s+/));
    assert.equal(lines.length, 4);
    const empty = (field: string | undefined): string | undefined =>
      field === "''" || field === '""' ? undefined : field;
    for (const [input = '', name, epoch, version, release, arch] of lines) {
      const split = splitRpmEvr(input);
      const agrees =
        split.epoch === empty(epoch) && split.version === version && split.release === empty(release);
      if (empty(name) === undefined && empty(arch) === undefined) {
        assert.ok(agrees, `${input}: ${JSON.stringify(split)}`);
        continue;
      }
      // Exception: NEVRA strings (with a name, and maybe an arch) are not EVRs (see the
      // compare file above); splitting them as EVRs still gives something else.
      assert.ok(!agrees, `${input}: a NEVRA now splits like its EVR: review the exception`);
    }
  });
});
