/**
 * Live oracle (RECIPES.md section 4): 2,000 pairs drawn from real RPM versions (the fixed
 * versions of the AlmaLinux advisories in ../shared/vulndata, with epochs and module releases,
 * and the versions of the rpm vectors) ordered by rpm 4.18's own `rpm.vercmp` in one `rpm --eval`
 * Lua loop, and by Drydock: they must agree on every pair. rpm is installed by
 * scripts/debian-packages.sh; its absence fails the test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { disagreements, runOracle } from '../oracle-batch.ts';
import { drawPairs, oracleSeed } from '../oracle-pairs.ts';
import { versionsOfOsvFile, versionsOfVectors } from '../real-versions.ts';
import { rpmScheme } from './scheme.ts';

/** print() inside %{lua:} does not end lines per call: io.write does (RECIPES.md). */
const luaLoop =
  "%{lua: for l in io.lines('{pairs}') do local a, b = l:match('(%S+)%s+(%S+)'); io.write(rpm.vercmp(a, b), '\\n') end}";

describe('rpm against rpm.vercmp', () => {
  const advisories = new Set<string>();
  for (const file of ['almalinux8.jsonl', 'almalinux9.jsonl', 'almalinux10.jsonl'])
    for (const version of versionsOfOsvFile(`almalinux/${file}`, 'AlmaLinux')) advisories.add(version);
  const vectors = versionsOfVectors('rpm', [
    'osv-scalibr-redhat-versions.txt',
    'claircore-rpmver-rpmvercmp.txt',
  ]);

  it('every AlmaLinux advisory version is a valid EVR', () => {
    assert.ok(advisories.size > 5_000, `${advisories.size} versions`);
    for (const version of advisories) assert.ok(rpmScheme.isValid(version), version);
  });

  it('2,000 random pairs agree', () => {
    const seed = oracleSeed();
    const pairs = [...drawPairs(advisories, 1_500, seed), ...drawPairs(vectors, 500, seed)];
    const results = runOracle({ command: 'rpm', args: ['--eval', luaLoop] }, pairs);
    assert.deepEqual(disagreements(rpmScheme.compare, pairs, results), [], `seed ${seed}`);
  });
});
