/**
 * The RubyGems scheme against ../shared/testvectors/version-compare/rubygems/ (formats in the
 * README there): osv-scalibr's hand-written file and its file generated from real advisory
 * versions ordered by RubyGems itself. Each comparison must hold both ways with both versions
 * valid; the two lines whose versions RubyGems refuses are named and checked to still differ.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versionsOfOsvFile } from '../real-versions.ts';
import { compareValidOnly, refusesASide } from '../semver/valid-sides.ts';
import { checkComparisons, linesOf } from '../vector-check.ts';
import { readComparisonLines } from '../vector-files.ts';
import { rubygemsScheme } from './scheme.ts';

const compare = compareValidOnly(rubygemsScheme);

describe('RubyGems vectors', () => {
  it('every version the RubySec records of ../shared/vulndata name is valid', () => {
    const versions = versionsOfOsvFile('rubysec/RubyGems.jsonl', 'RubyGems');
    assert.ok(versions.size > 1_000, `${versions.size} versions`);
    assert.deepEqual(
      [...versions].filter((version) => !rubygemsScheme.isValid(version)),
      [],
    );
  });

  it('osv-scalibr-rubygems-versions.txt', () => {
    const file = 'osv-scalibr-rubygems-versions.txt';
    const comparisons = readComparisonLines('rubygems', file);
    assert.equal(comparisons.length, 25);
    const exceptions = [
      {
        reason:
          '"1beta", "1gamma": Gem::Version.new raises "Malformed version number string" (letters must follow a dot or a dash; checked with RubyGems 3.3.15)',
        lines: linesOf(file, [3, 27]),
        explains: refusesASide(rubygemsScheme),
      },
    ];
    assert.deepEqual(checkComparisons(compare, comparisons, exceptions), []);
  });

  it('osv-scalibr-rubygems-versions-generated.txt (real advisory versions, ordered by RubyGems)', () => {
    const comparisons = readComparisonLines('rubygems', 'osv-scalibr-rubygems-versions-generated.txt');
    assert.equal(comparisons.length, 4_098);
    assert.deepEqual(checkComparisons(compare, comparisons), []);
  });
});
