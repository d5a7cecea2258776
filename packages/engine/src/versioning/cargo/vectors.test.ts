/**
 * The Cargo scheme against the semver vectors of ../shared/testvectors/version-compare/npm-semver/
 * (formats in the README there): osv-scalibr's semver file, which osv-scanner uses for crates.io
 * too, and node-semver's strict (not loose) fixture rows, which are plain Semantic Versioning 2.0.
 * Each comparison must hold both ways with both versions valid; what Cargo's strict grammar
 * refuses is named with the reason and checked to still differ.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureComparisons } from '../semver/fixture-comparisons.ts';
import {
  fixtureRows,
  isLoose,
  readNodeSemverFixtures,
  versionField,
} from '../semver/node-semver-fixtures.ts';
import { compareValidOnly, refusesASide } from '../semver/valid-sides.ts';
import { checkComparisons, linesOf, type ExceptionGroup } from '../vector-check.ts';
import { readComparisonLines } from '../vector-files.ts';
import { versionsOfOsvFile } from '../real-versions.ts';
import { cargoScheme } from './scheme.ts';

const compare = compareValidOnly(cargoScheme);
const scalibr = 'osv-scalibr-semver-versions.txt';
const vPrefix =
  'crates.io versions never start with v: the semver crate refuses it ("unexpected character \'v\' while parsing major version number")';

const scalibrExceptions: readonly ExceptionGroup[] = [
  {
    reason: vPrefix,
    lines: linesOf(
      scalibr,
      [
        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 76,
        78, 80, 82, 86,
      ],
    ),
    explains: ({ a, b }) => a.startsWith('v') || b.startsWith('v'),
  },
  {
    reason:
      'numbers above 2^64 - 1 (and a lone number): the semver crate refuses them ("value out of range")',
    lines: linesOf(scalibr, [87, 88]),
    explains: refusesASide(cargoScheme),
  },
  {
    reason: '1.1.3.4.5: more than three numbers; the semver crate refuses it',
    lines: linesOf(scalibr, [92]),
    explains: refusesASide(cargoScheme),
  },
];

/** node-semver fixture rows (strict) that Cargo's grammar refuses. */
const fixtureExceptions: readonly ExceptionGroup[] = [
  {
    reason: 'node-semver trims blanks and drops a v even in strict mode; the semver crate does neither',
    lines: ['equality[36]'],
    explains: refusesASide(cargoScheme),
  },
];

describe('Cargo vectors', () => {
  it('every version the RustSec records of ../shared/vulndata name is valid', () => {
    const versions = versionsOfOsvFile('rustsec/crates.io.jsonl', 'crates.io');
    assert.ok(versions.size > 500, `${versions.size} versions`);
    assert.deepEqual(
      [...versions].filter((version) => !cargoScheme.isValid(version)),
      [],
    );
  });

  it(scalibr, () => {
    const comparisons = readComparisonLines('npm-semver', scalibr);
    assert.equal(comparisons.length, 86);
    assert.deepEqual(checkComparisons(compare, comparisons, scalibrExceptions), []);
  });

  it('node-semver-fixtures.json: the strict `comparisons` and `equality` rows', () => {
    const fixtures = readNodeSemverFixtures();
    const comparisons = fixtureComparisons(fixtures, (row) => !isLoose(row[2]));
    assert.equal(comparisons.length, 22);
    assert.deepEqual(checkComparisons(compare, comparisons, fixtureExceptions), []);
  });

  it('node-semver-fixtures.json: `valid-versions` are valid but for the v-prefixed one', () => {
    const fixtures = readNodeSemverFixtures();
    const refused = fixtureRows(fixtures, 'valid-versions')
      .map((row) => versionField(row, 0))
      .filter((version) => !cargoScheme.isValid(version));
    assert.deepEqual(refused, ['v1.2.3'], vPrefix);
  });
});
