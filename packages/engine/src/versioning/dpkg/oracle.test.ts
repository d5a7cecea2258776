/**
 * Live oracle (RECIPES.md section 4): 2,000 pairs drawn from real Debian versions (the versions of
 * real advisories in osv-scalibr's generated vectors and dpkg's own test data) ordered by
 * python3-apt's `apt_pkg.version_compare` in one process, and by Drydock: they must agree on
 * every pair. python3-apt is installed by scripts/debian-packages.sh; its absence fails the test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { disagreements, runOracle } from '../oracle-batch.ts';
import { drawPairs, oracleSeed } from '../oracle-pairs.ts';
import { versionsOfVectors } from '../real-versions.ts';
import { readTsv } from '../vector-files.ts';
import { dpkgScheme } from './scheme.ts';

const aptCompare = [
  'import sys, apt_pkg',
  'apt_pkg.init_system()',
  'for line in sys.stdin:',
  '    a, b = line.split()',
  '    c = apt_pkg.version_compare(a, b)',
  '    sys.stdout.write("%d\\n" % ((c > 0) - (c < 0)))',
].join('\n');

describe('dpkg against python3-apt', () => {
  const versions = new Set(
    versionsOfVectors('dpkg', [
      'osv-scalibr-debian-versions-generated.txt',
      'osv-scalibr-debian-versions.txt',
    ]),
  );
  for (const row of readTsv('dpkg', 'dpkg-Dpkg_Version.t.tsv')) {
    versions.add(row.a ?? '');
    versions.add(row.b ?? '');
  }

  it('every real version is valid', () => {
    assert.ok(versions.size > 5_000, `${versions.size} versions`);
    for (const version of versions) assert.ok(dpkgScheme.isValid(version), version);
  });

  it('2,000 random pairs agree', () => {
    const seed = oracleSeed();
    const pairs = drawPairs(versions, 2_000, seed);
    const results = runOracle({ command: '/usr/bin/python3', args: ['-c', aptCompare] }, pairs);
    assert.deepEqual(disagreements(dpkgScheme.compare, pairs, results), [], `seed ${seed}`);
  });
});
