import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CandidateCache, type StoredCandidate } from './candidate-cache.ts';

const candidate = (id: string): StoredCandidate => ({
  id,
  entries: [{ package: { ecosystem: 'npm', name: 'lodash' }, versions: ['1.0.0'] }],
});

describe('CandidateCache', () => {
  it('keeps names with rows and names without, per stored ecosystem', () => {
    const cache = new CandidateCache(1_000);
    cache.set('npm', 'lodash', [candidate('GHSA-1')], 100);
    cache.set('npm', 'left-pad', [], 0);
    assert.deepEqual(
      cache.get('npm', 'lodash')?.map((entry) => entry.id),
      ['GHSA-1'],
    );
    assert.deepEqual(cache.get('npm', 'left-pad'), []);
    assert.equal(cache.get('PyPI', 'lodash'), undefined);
    assert.equal(cache.get('npm', 'express'), undefined);
  });

  it('stays within its bytes, dropping the least recently used name first', () => {
    const cache = new CandidateCache(350);
    cache.set('npm', 'a', [candidate('A')], 100);
    cache.set('npm', 'b', [candidate('B')], 100);
    cache.set('npm', 'c', [candidate('C')], 100);
    assert.ok(cache.get('npm', 'a'), 'a is used, so b is now the oldest');
    cache.set('npm', 'd', [candidate('D')], 100);
    assert.equal(cache.get('npm', 'b'), undefined);
    for (const name of ['a', 'c', 'd']) assert.ok(cache.get('npm', name), name);
    // Replacing a name frees its old cost first; a name larger than the whole cache is not kept.
    cache.set('npm', 'a', [candidate('A2')], 100);
    assert.equal(cache.get('npm', 'a')?.[0]?.id, 'A2');
    assert.ok(cache.get('npm', 'c'));
    cache.set('npm', 'huge', [candidate('H')], 400);
    assert.equal(cache.get('npm', 'huge'), undefined);
    assert.ok(cache.get('npm', 'd'), 'an entry too large to keep evicts nothing');
  });
});
