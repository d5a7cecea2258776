/**
 * The Composer scheme against ../shared/testvectors/version-compare/packagist/ (formats in the
 * README there). Those vectors were ordered with PHP's raw version_compare (after dropping a v),
 * as osv-scanner does. Composer first normalises each version (VersionParser::normalize) and
 * refuses what it cannot normalise, and Packagist lists no tag that Composer refuses; where the
 * two differ, Drydock follows Composer. Every exception below was checked against Composer
 * (Debian's php-composer-semver 3.3.2, PHP 8.2) and is checked here to still differ.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versionsOfOsvFile } from '../real-versions.ts';
import { acceptsBothSides, compareValidOnly, refusesASide } from '../semver/valid-sides.ts';
import { checkComparisons, linesOf, type ExceptionGroup } from '../vector-check.ts';
import { readComparisonLines } from '../vector-files.ts';
import { composerScheme } from './scheme.ts';

const folder = 'packagist';
const compare = compareValidOnly(composerScheme);
const refused = refusesASide(composerScheme);
const accepted = acceptsBothSides(composerScheme);

const handWritten = 'osv-scalibr-packagist-versions.txt';
const generated = 'osv-scalibr-packagist-versions-generated.txt';
const osvDev = 'osv.dev-packagist_test_cases.txt';

const hashEdgeCase = {
  reason:
    'osv.dev\'s own "#" edge cases: Composer refuses "1.2.3.#" (and PHP\'s version_compare itself answers differently from osv.dev on these)',
  explains: refused,
};

const handWrittenExceptions: readonly ExceptionGroup[] = [
  {
    reason:
      'a Debian-style revision ("4.3-2RC1", from PHP\'s own version_compare tests): VersionParser::normalize throws',
    lines: linesOf(handWritten, [72, 73, 74]),
    explains: refused,
  },
  {
    reason:
      'Composer pads to four numbers, so 1.0.0 and 1.0 are both 1.0.0.0; raw version_compare ranks the longer one higher',
    lines: linesOf(handWritten, [75]),
    explains: accepted,
  },
  { ...hashEdgeCase, lines: linesOf(handWritten, [94, 95, 96, 97, 98, 99]) },
  {
    reason: 'Composer takes at most five digits for the major version: VersionParser::normalize throws',
    lines: linesOf(handWritten, [106, 107]),
    explains: refused,
  },
];

const generatedExceptions: readonly ExceptionGroup[] = [
  {
    reason:
      'Composer pads to four numbers before comparing, so the release 3.0 (3.0.0.0) ranks above 3.0.0-beta, and 4-beta4 (4.0.0.0-beta4) above 4.0-alpha; raw version_compare puts the shorter version first',
    lines: linesOf(generated, [1256, 1262, 1278, 8210, 8245, 8251]),
    explains: accepted,
  },
  {
    reason:
      'Composer lower-cases the stability (ALPHA → alpha < BETA → beta); raw version_compare knows neither upper-case word and calls them equal',
    lines: linesOf(generated, [5133, 5134, 5135]),
    explains: accepted,
  },
  {
    reason:
      'Composer reads a "-stable" suffix as the release itself, above beta2; raw version_compare ranks the unknown word "stable" below dev',
    lines: linesOf(generated, [5313]),
    explains: accepted,
  },
  {
    reason:
      '"-test1" is no Composer stability: VersionParser::normalize throws, and Packagist lists no such tag',
    lines: linesOf(generated, [7701]),
    explains: refused,
  },
  {
    reason:
      'a PEP 440 suffix (.postN, .devN) is no Composer version: VersionParser::normalize throws, and Packagist lists no such tag',
    lines: linesOf(
      generated,
      [
        7815, 7816, 7817, 7818, 7819, 7820, 7823, 7824, 7825, 7826, 7827, 7828, 7829, 7830, 10111, 10112,
        10113,
      ],
    ),
    explains: refused,
  },
];

describe('Composer vectors', () => {
  it('every version the FriendsOfPHP records of ../shared/vulndata name is valid', () => {
    const versions = versionsOfOsvFile('friendsofphp/Packagist.jsonl', 'Packagist');
    assert.ok(versions.size > 1_000, `${versions.size} versions`);
    assert.deepEqual(
      [...versions].filter((version) => !composerScheme.isValid(version)),
      [],
    );
  });

  it(handWritten, () => {
    const comparisons = readComparisonLines(folder, handWritten);
    assert.equal(comparisons.length, 95);
    assert.deepEqual(checkComparisons(compare, comparisons, handWrittenExceptions), []);
  });

  it(`${generated} (real advisory versions)`, () => {
    const comparisons = readComparisonLines(folder, generated);
    assert.equal(comparisons.length, 10_630);
    assert.deepEqual(checkComparisons(compare, comparisons, generatedExceptions), []);
  });

  it(osvDev, () => {
    const comparisons = readComparisonLines(folder, osvDev);
    assert.equal(comparisons.length, 85);
    const exceptions = [{ ...hashEdgeCase, lines: linesOf(osvDev, [88, 89, 90, 91, 92, 93]) }];
    assert.deepEqual(checkComparisons(compare, comparisons, exceptions), []);
  });
});
