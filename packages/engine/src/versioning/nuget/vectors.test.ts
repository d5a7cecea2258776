/**
 * The NuGet scheme against ../shared/testvectors/version-compare/nuget/ (osv-scalibr's file;
 * formats in the README there). Each comparison must hold both ways with both versions valid;
 * the lines with numbers NuGet cannot hold are named and checked to still differ.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareValidOnly, refusesASide } from '../semver/valid-sides.ts';
import { checkComparisons, linesOf } from '../vector-check.ts';
import { readComparisonLines } from '../vector-files.ts';
import { nugetScheme } from './scheme.ts';

describe('NuGet vectors', () => {
  it('osv-scalibr-nuget-versions.txt', () => {
    const file = 'osv-scalibr-nuget-versions.txt';
    const comparisons = readComparisonLines('nuget', file);
    assert.equal(comparisons.length, 35);
    const exceptions = [
      {
        reason:
          'System.Version keeps each number in an Int32: NuGetVersion.TryParse refuses numbers above 2,147,483,647 (osv-scalibr compares big integers)',
        lines: linesOf(file, [39, 40]),
        explains: refusesASide(nugetScheme),
      },
    ];
    assert.deepEqual(checkComparisons(compareValidOnly(nugetScheme), comparisons, exceptions), []);
  });
});
