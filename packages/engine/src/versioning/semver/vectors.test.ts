/**
 * The npm scheme against every npm-semver vector in ../shared/testvectors/version-compare/npm-semver/
 * (formats in the README there): node-semver's own fixture tables that concern versions, and
 * osv-scalibr's semver file. Each comparison must hold both ways with both versions valid; the
 * lines npm's rules refuse are named with the reason and checked to still differ.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkComparisons, linesOf, type ExceptionGroup } from '../vector-check.ts';
import { readComparisonLines } from '../vector-files.ts';
import { versionsOfOsvFile } from '../real-versions.ts';
import { fixtureComparisons } from './fixture-comparisons.ts';
import { fixtureRows, readNodeSemverFixtures, versionField } from './node-semver-fixtures.ts';
import { semverScheme } from './scheme.ts';
import { compareValidOnly, refusesASide } from './valid-sides.ts';

const fixtures = readNodeSemverFixtures();
const compare = compareValidOnly(semverScheme);

/** Fixture tables about npm ranges and version arithmetic: outside `VersionScheme` (isValid, compare). */
const notAboutOrdering: Readonly<Record<string, string>> = {
  'comparator-intersection': 'npm range syntax; OSV ranges are events, evaluated by evaluateOsvRanges',
  increments: 'version arithmetic (semver.inc), not ordering',
  'range-exclude': 'npm range syntax',
  'range-include': 'npm range syntax',
  'range-intersection': 'npm range syntax',
  'range-parse': 'npm range syntax',
  truncations: 'version arithmetic, not ordering',
  'version-gt-range': 'npm range syntax',
  'version-lt-range': 'npm range syntax',
  'version-not-gt-range': 'npm range syntax',
  'version-not-lt-range': 'npm range syntax',
};
const aboutOrdering = ['comparisons', 'equality', 'invalid-versions', 'valid-versions'];

const scalibr = 'osv-scalibr-semver-versions.txt';
/** osv-scalibr's semver file serves npm, crates.io, Go and Hex; npm's rules refuse these lines. */
const scalibrExceptions: readonly ExceptionGroup[] = [
  {
    reason:
      'numbers above 2^53 - 1: node-semver refuses them ("too big", as its own invalid-versions fixture says), so npm cannot publish them',
    lines: linesOf(scalibr, [87, 88]),
    explains: refusesASide(semverScheme),
  },
  {
    reason:
      '1.1.3.4.5: node-semver has no fourth or fifth number, even in loose mode (osv-scalibr reads the rest as build metadata)',
    lines: linesOf(scalibr, [92]),
    explains: refusesASide(semverScheme),
  },
];

describe('semver (npm) vectors', () => {
  it('every version the npm records of ../shared/vulndata name is valid', () => {
    const versions = versionsOfOsvFile('nodejs-security-wg/npm.jsonl', 'npm');
    assert.ok(versions.size > 200, `${versions.size} versions`);
    assert.deepEqual(
      [...versions].filter((version) => !semverScheme.isValid(version)),
      [],
    );
  });

  it('every node-semver fixture table is either tested here or named as not about ordering', () => {
    assert.deepEqual(
      Object.keys(fixtures).sort(),
      [...aboutOrdering, ...Object.keys(notAboutOrdering)].sort(),
    );
  });

  it('node-semver-fixtures.json: every `comparisons` row (v1 > v2) and `equality` row (v1 == v2)', () => {
    const comparisons = fixtureComparisons(fixtures);
    assert.equal(comparisons.length, 68);
    assert.deepEqual(checkComparisons(compare, comparisons), []);
  });

  it('node-semver-fixtures.json: every `valid-versions` row is valid, every `invalid-versions` row is not', () => {
    const versions = (table: string) => fixtureRows(fixtures, table).map((row) => versionField(row, 0));
    assert.deepEqual(
      versions('valid-versions').filter((v) => !semverScheme.isValid(v)),
      [],
    );
    assert.deepEqual(
      versions('invalid-versions').filter((v) => semverScheme.isValid(v)),
      [],
    );
  });

  it(scalibr, () => {
    const comparisons = readComparisonLines('npm-semver', scalibr);
    assert.equal(comparisons.length, 86);
    assert.deepEqual(checkComparisons(compare, comparisons, scalibrExceptions), []);
  });
});
