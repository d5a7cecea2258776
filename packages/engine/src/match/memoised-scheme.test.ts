import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versionSchemes } from '../versioning/registry.ts';
import type { VersionScheme } from '../versioning/scheme.ts';
import { memoisedSchemes } from './memoised-scheme.ts';

/** The real schemes, with the dpkg scheme's parses counted. */
function countingSchemes(): { schemes: typeof versionSchemes; calls: () => number } {
  let calls = 0;
  const dpkg: VersionScheme = {
    id: versionSchemes.dpkg.id,
    isValid: (version) => (calls++, versionSchemes.dpkg.isValid(version)),
    compare: (a, b) => (calls++, versionSchemes.dpkg.compare(a, b)),
  };
  return { schemes: { ...versionSchemes, dpkg }, calls: () => calls };
}

describe('memoisedSchemes', () => {
  it('answers as the scheme does, and asks it once per question across matching runs', () => {
    const { schemes, calls } = countingSchemes();
    const first = memoisedSchemes(schemes);
    assert.equal(memoisedSchemes(schemes), first, 'one memory per set of schemes');
    assert.equal(first.dpkg.compare('1:2.0-1', '2.0-1'), 1);
    assert.equal(first.dpkg.compare('1.0~rc1', '1.0'), -1);
    assert.equal(first.dpkg.isValid('1.0'), true);
    const asked = calls();
    assert.equal(memoisedSchemes(schemes).dpkg.compare('1:2.0-1', '2.0-1'), 1);
    assert.equal(memoisedSchemes(schemes).dpkg.isValid('1.0'), true);
    assert.equal(calls(), asked);
  });

  it('starts over past its bound and still answers right', () => {
    const { schemes, calls } = countingSchemes();
    const dpkg = memoisedSchemes(schemes).dpkg;
    assert.equal(dpkg.compare('1.0-1', '1.0-2'), -1);
    for (let i = 0; i < 260_000; i++) dpkg.compare(`1.${i}`, '1.5');
    const asked = calls();
    assert.equal(dpkg.compare('1.0-1', '1.0-2'), -1, 'the early answer was dropped and computed again');
    assert.equal(calls(), asked + 1);
    assert.equal(dpkg.compare('1.7', '1.5'), 1);
  });
});
