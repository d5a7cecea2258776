import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DirectoryLayerCache } from './directory-layer-cache.ts';

const keyOf = (name: string): string => createHash('sha256').update(name).digest('hex');
const signal = new AbortController().signal;

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'drydock-layer-cache-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('DirectoryLayerCache', () => {
  it('gives back what was put, misses what was not, and keeps entries readable by their owner only', async () => {
    const directory = join(root, 'plain');
    const cache = new DirectoryLayerCache(directory);
    assert.equal(await cache.get(keyOf('a'), signal), undefined);
    await cache.put(keyOf('a'), new Uint8Array([1, 2, 3]));
    assert.deepEqual([...((await cache.get(keyOf('a'), signal)) ?? [])], [1, 2, 3]);
    const path = join(directory, keyOf('a').slice(0, 2), keyOf('a'));
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(join(directory, keyOf('a').slice(0, 2)))).mode & 0o777, 0o700);
    // A second put of the same key replaces it whole, with no temporary file left behind.
    await cache.put(keyOf('a'), new Uint8Array([4]));
    assert.deepEqual([...((await cache.get(keyOf('a'), signal)) ?? [])], [4]);
    assert.deepEqual(await readdir(join(directory, keyOf('a').slice(0, 2))), [keyOf('a')]);
  });

  it('refuses keys that are not SHA-256 hex, so a key can never name a path', async () => {
    const cache = new DirectoryLayerCache(join(root, 'keys'));
    await assert.rejects(cache.get('../../etc/passwd', signal), /not a SHA-256/);
    await assert.rejects(cache.put(`${keyOf('x').slice(0, 62)}/.`, new Uint8Array([1])), /not a SHA-256/);
  });

  it('trims to its size, least recently used first, and does not store an entry larger than the whole cache', async () => {
    const directory = join(root, 'trim');
    const cache = new DirectoryLayerCache(directory, { maxBytes: 250 });
    const entry = new Uint8Array(100);
    await cache.put(keyOf('old'), entry);
    await cache.put(keyOf('used'), entry);
    // Make the order explicit rather than relying on the clock's resolution between writes.
    const pathOf = (name: string) => join(directory, keyOf(name).slice(0, 2), keyOf(name));
    await utimes(pathOf('old'), new Date(1_000_000), new Date(1_000_000));
    await utimes(pathOf('used'), new Date(2_000_000), new Date(2_000_000));
    assert.ok(await cache.get(keyOf('used'), signal), 'a hit refreshes the entry');
    await cache.put(keyOf('new'), entry);
    assert.equal(await cache.get(keyOf('old'), signal), undefined, 'the least recently used entry went');
    assert.ok(await cache.get(keyOf('used'), signal));
    assert.ok(await cache.get(keyOf('new'), signal));
    await cache.put(keyOf('huge'), new Uint8Array(251));
    assert.equal(await cache.get(keyOf('huge'), signal), undefined);
  });
});
