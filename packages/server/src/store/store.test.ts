import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { toJson } from './json.ts';
import { openStore } from './store.ts';

test('PGlite store: migrations run, JSON and time columns round-trip, transactions isolate and roll back', async () => {
  const store = await openStore({ kind: 'pglite' });
  try {
    const { db } = store;
    const now = new Date('2026-01-02T03:04:05.000Z');
    await db
      .insertInto('project')
      .values({ id: 'p1', name: 'one', timeZone: 'Europe/Berlin', createdAt: now })
      .execute();
    await db
      .insertInto('serviceState')
      .values({ key: 'k', value: toJson({ Nested_Key: [1, 'two'] }), updatedAt: now })
      .execute();
    const row = await db.selectFrom('serviceState').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual(row.value, { Nested_Key: [1, 'two'] });
    assert.equal(row.updatedAt.toISOString(), now.toISOString());

    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx
          .insertInto('project')
          .values({ id: 'p2', name: 'two', timeZone: 'UTC', createdAt: now })
          .execute();
        // A statement outside the transaction waits for it instead of joining it.
        const outside = db.selectFrom('project').select('id').execute();
        await trx
          .insertInto('project')
          .values({ id: 'p3', name: 'one', timeZone: 'UTC', createdAt: now })
          .execute();
        await outside;
      }),
      /duplicate key/,
    );
    const ids = await db.selectFrom('project').select('id').orderBy('id').execute();
    assert.deepEqual(
      ids.map((entry) => entry.id),
      ['p1'],
    );
    const big = await sql<{ n: number }>`select 9007199254740991::bigint as n`.execute(db);
    assert.equal(big.rows[0]?.n, 9007199254740991);
  } finally {
    await store.close();
  }
});
