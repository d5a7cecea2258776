import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { chainIds } from './layer-chain.ts';

const diffId = (label: string): string => `sha256:${createHash('sha256').update(label).digest('hex')}`;

describe('chainIds', () => {
  const layers = ['a', 'b', 'c'].map(diffId);

  it('follows the OCI rule: the first is the diff id, each next hashes "previous diffId"', () => {
    const [first, second, third] = chainIds(layers);
    assert.equal(first, layers[0]);
    assert.equal(second, `sha256:${createHash('sha256').update(`${layers[0]} ${layers[1]}`).digest('hex')}`);
    assert.equal(third, `sha256:${createHash('sha256').update(`${second} ${layers[2]}`).digest('hex')}`);
  });

  it('names a prefix the same way whatever follows it, and tells orders apart', () => {
    assert.deepEqual(chainIds(layers.slice(0, 2)), chainIds(layers).slice(0, 2));
    assert.notEqual(chainIds([layers[1] ?? '', layers[0] ?? '']).at(-1), chainIds(layers.slice(0, 2)).at(-1));
    assert.deepEqual(chainIds([]), []);
  });
});
