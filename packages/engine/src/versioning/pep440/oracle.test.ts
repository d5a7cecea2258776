/**
 * Live oracle (RECIPES.md section 4): 2,000 pairs drawn from real Python versions (every version
 * the PyPI advisories in ../shared/vulndata name, in ranges and `versions` lists, and the
 * versions of the PEP 440 vectors) ordered by pypa/packaging's `Version` (python3-packaging) in
 * one process, and by Drydock: they must agree on every pair, including which versions are
 * invalid (packaging raises InvalidVersion, printed as ERR). python3-packaging is installed by
 * scripts/debian-packages.sh; its absence fails the test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { disagreements, runOracle } from '../oracle-batch.ts';
import { drawPairs, oracleSeed } from '../oracle-pairs.ts';
import { versionsOfOsvFile, versionsOfVectors } from '../real-versions.ts';
import { pep440Scheme } from './scheme.ts';

const packagingCompare = [
  'import sys',
  'from packaging.version import Version, InvalidVersion',
  'for line in sys.stdin:',
  '    a, b = line.split()',
  '    try:',
  '        x, y = Version(a), Version(b)',
  '    except InvalidVersion:',
  '        sys.stdout.write("ERR\\n")',
  '        continue',
  '    sys.stdout.write("%d\\n" % ((x > y) - (x < y)))',
].join('\n');

/** Drydock's answer in the oracle's terms: ERR when either version is invalid. */
function drydockCompare(a: string, b: string): number {
  return pep440Scheme.isValid(a) && pep440Scheme.isValid(b) ? pep440Scheme.compare(a, b) : Number.NaN;
}

describe('pep440 against pypa/packaging', () => {
  const versions = new Set(versionsOfOsvFile('pypa-advisory-database/PyPI.jsonl', 'PyPI'));
  for (const version of versionsOfVectors('pep440', ['osv-scalibr-pypi-versions-generated.txt']))
    versions.add(version);
  const expressible = [...versions].filter((version) => !/\s/.test(version) && version !== '');

  it('2,000 random pairs agree, validity included', () => {
    assert.ok(expressible.length > 10_000, `${expressible.length} versions`);
    const seed = oracleSeed();
    const pairs = drawPairs(expressible, 2_000, seed);
    const results = runOracle({ command: '/usr/bin/python3', args: ['-c', packagingCompare] }, pairs).map(
      (result) => (result === 'ERR' ? 'NaN' : result),
    );
    assert.deepEqual(disagreements(drydockCompare, pairs, results), [], `seed ${seed}`);
  });
});
