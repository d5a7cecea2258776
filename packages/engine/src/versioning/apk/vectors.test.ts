/**
 * The apk scheme against every Alpine vector in ../shared/testvectors/version-compare/apk/
 * (formats in the README there). Comparisons must hold both ways; the fuzzy rows of apk-tools'
 * own data (`~`, `<~`, `>~`, `!~`, the dependency operator) run against the fuzzy comparison.
 * osv-scalibr's files also order versions that apk-tools 3 rejects (`6.6.2p1`, `0..8`, `1-r`):
 * those rows are named with their reason, checked to still differ, and checked to involve a
 * version `isValid` refuses, so that matching answers `unknown` for them instead of guessing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versionsOfOsvFile } from '../real-versions.ts';
import { checkComparisons, linesOf } from '../vector-check.ts';
import { readComparisonLines, readTsv, readVersionList, type Comparison } from '../vector-files.ts';
import { compareApkVersions } from './compare.ts';
import { apkScheme } from './scheme.ts';

const folder = 'apk';
const involvesInvalid = (comparison: Comparison): boolean =>
  !apkScheme.isValid(comparison.a) || !apkScheme.isValid(comparison.b);
const apkToolsThree =
  'apk-tools 3 (the vectors of apk-tools itself) rejects a version here and stops comparing at the invalid token; osv-scalibr orders it as apk-tools 2 did';

describe('apk vectors', () => {
  describe('apk-tools-version.data.tsv (apk-tools’ own unit test data)', () => {
    const rows = readTsv(folder, 'apk-tools-version.data.tsv');

    it('has the rows the README counts', () => {
      assert.equal(rows.length, 785);
      assert.deepEqual(new Set(rows.map((row) => row.kind)), new Set(['compare', 'validity']));
    });

    it('orders every `<`, `=` and `>` row both ways', () => {
      const comparisons: Comparison[] = [];
      for (const row of rows) {
        const op = row.op;
        if (row.kind !== 'compare' || (op !== '<' && op !== '=' && op !== '>')) continue;
        comparisons.push({ where: row.line ?? '', a: row.a ?? '', b: row.b ?? '', relation: op });
      }
      assert.equal(comparisons.length, 738);
      assert.deepEqual(checkComparisons(apkScheme.compare, comparisons), []);
    });

    it('matches every fuzzy row (`~` means: a starts with b’s tokens)', () => {
      const fuzzyRows = rows.filter((row) => row.kind === 'compare' && (row.op ?? '').includes('~'));
      assert.equal(fuzzyRows.length, 16);
      for (const row of fuzzyRows) {
        const order = compareApkVersions(row.a ?? '', row.b ?? '', true);
        const holds =
          row.op === '~'
            ? order === 0
            : row.op === '!~'
              ? order !== 0
              : row.op === '<~'
                ? order <= 0
                : row.op === '>~'
                  ? order >= 0
                  : assert.fail(`${row.line}: unknown op ${row.op}`);
        assert.ok(holds, `${row.line}: ${row.a} ${row.op} ${row.b} (fuzzy order ${order})`);
      }
    });

    it('judges validity as apk does', () => {
      const validity = rows.filter((row) => row.kind === 'validity');
      assert.equal(validity.length, 31);
      for (const row of validity)
        assert.equal(apkScheme.isValid(row.a ?? ''), row.op === 'valid', `${row.line}: ${row.a}`);
    });
  });

  it('osv-scalibr-alpine-versions.txt', () => {
    const file = 'osv-scalibr-alpine-versions.txt';
    const comparisons = readComparisonLines(folder, file);
    assert.equal(comparisons.length, 778);
    const exceptions = [
      {
        reason: apkToolsThree,
        lines: linesOf(file, [2, 16, 17, 18, 19, 21, 22, 34, 43, 64, 65, 66]),
        explains: involvesInvalid,
      },
    ];
    assert.deepEqual(checkComparisons(apkScheme.compare, comparisons, exceptions), []);
  });

  it('osv-scalibr-alpine-versions-generated.txt (versions from real advisories)', () => {
    const file = 'osv-scalibr-alpine-versions-generated.txt';
    const comparisons = readComparisonLines(folder, file);
    assert.equal(comparisons.length, 13_979);
    const exceptions = [
      {
        // `5.7.1p1-r0`, `1.9.5p2-r1`: a digit after a letter. apk-tools 2 took it, apk-tools 3
        // refuses it (validity row `0.1a1` of apk-tools' data).
        reason: apkToolsThree,
        lines: linesOf(
          file,
          [
            6912, 12657, 12658, 12661, 12662, 12663, 12665, 12666, 12667, 12669, 12670, 12671, 12672, 12673,
            12674, 12675, 12676, 12678, 12679, 12680, 12681, 12683, 12684, 12686, 12687, 12688, 12690, 12692,
            12694, 13398, 13399, 13400,
          ],
        ),
        explains: involvesInvalid,
      },
    ];
    assert.deepEqual(checkComparisons(apkScheme.compare, comparisons, exceptions), []);
  });

  it('osv.dev-alpine-valid_versions.txt and -invalid_versions.txt', () => {
    /** Versions osv.dev accepts that apk-tools 3 refuses, with the reason. */
    const validExceptions: Readonly<Record<string, string>> = Object.fromEntries([
      ...['10.2.22.r0', '10.2.24.r0', '0.8.21.r2'].map((version) => [
        version,
        'a `.` joins the revision where apk wants `-r`: apk-tools 3 expects digits after every `.` (apk-tools 2 read `.r0` as `.0r0`)',
      ]),
      ...['6.6.2p1-r0', '6.6.4p1-r2', '16.6.4p1-r1', '3.3.3p1-r3', '6.7.1p1-r1'].map((version) => [
        version,
        'a digit after a letter (`2p1`): apk-tools 2 took it, apk-tools 3 refuses it (validity row `0.1a1` of apk-tools’ data)',
      ]),
    ]);
    const valid = readVersionList(folder, 'osv.dev-alpine-valid_versions.txt');
    const invalid = readVersionList(folder, 'osv.dev-alpine-invalid_versions.txt');
    assert.equal(valid.length, 185);
    assert.equal(invalid.length, 11);
    for (const version of valid) {
      const reason = validExceptions[version];
      if (reason === undefined) assert.ok(apkScheme.isValid(version), version);
      else assert.ok(!apkScheme.isValid(version), `${version}: exception no longer differs: ${reason}`);
    }
    for (const version of Object.keys(validExceptions)) assert.ok(valid.includes(version), version);
    for (const version of invalid) assert.ok(!apkScheme.isValid(version), version);
  });

  it('every version of the Alpine advisories in ../shared/vulndata is valid', () => {
    const versions = versionsOfOsvFile('alpine-secdb-historic/Alpine.jsonl', 'Alpine');
    assert.ok(versions.size > 1_000, `${versions.size} versions`);
    for (const version of versions) assert.ok(apkScheme.isValid(version), version);
  });
});
