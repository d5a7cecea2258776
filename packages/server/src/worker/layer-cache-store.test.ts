import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPostgres, type TestPostgres } from '../../../../test/harness/postgres.ts';
import { randomBytes } from 'node:crypto';
import { ManualClock } from '../clock.ts';
import { CredentialVault } from '../registries/credential-vault.ts';
import { openStore, type Store, type StoreLocation } from '../store/store.ts';
import { LayerCacheStore } from './layer-cache-store.ts';

const bytes = (length: number, seed: number): Uint8Array =>
  Uint8Array.from({ length }, (_, index) => (index * 7 + seed) % 256);

let postgres: TestPostgres | undefined;

before(async () => {
  postgres = await startPostgres();
});
after(async () => {
  await postgres?.stop();
});

// The same behaviour on both databases the service runs on (bytea comes back as a Uint8Array from
// PGlite and as a Buffer from pg).
for (const kind of ['pglite', 'postgres'] as const) {
  describe(`layer cache store on ${kind}`, () => {
    let store: Store;
    const clock = new ManualClock('2026-03-01T00:00:00Z');
    const signal = new AbortController().signal;

    before(async () => {
      const location: StoreLocation =
        kind === 'pglite' ? { kind } : { kind, url: postgres?.url ?? 'postgres://unavailable' };
      store = await openStore(location);
    });
    after(async () => {
      await store?.close();
    });

    it('stores and returns values byte for byte, and replaces them', async () => {
      await store.db.deleteFrom('layerCache').execute();
      const cache = new LayerCacheStore(store.db, { clock });
      const value = bytes(1000, 3);
      assert.equal(await cache.get('missing', signal), undefined);
      await cache.put('k1', value);
      const read = await cache.get('k1', signal);
      assert.ok(read);
      assert.deepEqual(Uint8Array.from(read), value);
      // A view into a larger buffer stores only its own bytes.
      const larger = bytes(64, 9);
      await cache.put('k1', larger.subarray(10, 20));
      assert.deepEqual(Uint8Array.from((await cache.get('k1', signal)) ?? []), larger.subarray(10, 20));
      assert.deepEqual(await cache.usage(), { entries: 1, bytes: 10 });
    });

    it('with a vault, entries are sealed at rest and a value moved to another key does not open', async () => {
      await store.db.deleteFrom('layerCache').execute();
      const vault = await CredentialVault.open({
        key: randomBytes(32).toString('base64'),
        keyFile: '/nonexistent',
      });
      const cache = new LayerCacheStore(store.db, { clock, vault });
      const secret = Buffer.from('root:$y$j9T$salt$hash:19000:0:99999:7:::');
      await cache.put('k1', secret);
      const stored = await store.db
        .selectFrom('layerCache')
        .select('value')
        .where('key', '=', 'k1')
        .executeTakeFirstOrThrow();
      assert.equal(Buffer.from(stored.value).includes(secret), false);
      assert.deepEqual(Buffer.from((await cache.get('k1', signal)) ?? []), secret);
      await store.db
        .insertInto('layerCache')
        .values({
          key: 'k2',
          value: stored.value,
          size: stored.value.byteLength,
          createdAt: clock.now(),
          lastUsedAt: clock.now(),
        })
        .execute();
      assert.equal(await cache.get('k2', signal), undefined);
    });

    it('keeps the most recently used entries within the size cap', async () => {
      await store.db.deleteFrom('layerCache').execute();
      const cache = new LayerCacheStore(store.db, { clock, maxBytes: 250 });
      await cache.put('a', bytes(100, 1));
      clock.advance(1000);
      await cache.put('b', bytes(100, 2));
      clock.advance(1000);
      assert.ok(await cache.get('a', signal), 'a hit makes "a" the most recently used');
      clock.advance(1000);
      await cache.put('c', bytes(100, 3));
      const keys = await store.db.selectFrom('layerCache').select('key').orderBy('key').execute();
      assert.deepEqual(
        keys.map((row) => row.key),
        ['a', 'c'],
      );
      assert.deepEqual(await cache.usage(), { entries: 2, bytes: 200 });
      const row = await store.db
        .selectFrom('layerCache')
        .select(['createdAt', 'lastUsedAt'])
        .where('key', '=', 'a')
        .executeTakeFirstOrThrow();
      assert.equal(row.createdAt.toISOString(), '2026-03-01T00:00:00.000Z');
      assert.equal(row.lastUsedAt.toISOString(), '2026-03-01T00:00:02.000Z');

      await cache.put('huge', bytes(300, 4));
      assert.equal(await cache.get('huge', signal), undefined, 'larger than the whole cap: not stored');
      assert.deepEqual(await cache.usage(), { entries: 2, bytes: 200 });
    });

    it('gives up at once when the scan is aborted', async () => {
      const cache = new LayerCacheStore(store.db, { clock });
      const controller = new AbortController();
      controller.abort(new Error('stopped'));
      await assert.rejects(cache.get('a', controller.signal), /stopped/);
    });
  });
}
