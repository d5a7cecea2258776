import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, sql } from 'kysely';
import { migrateTo, migrateToLatest } from '../migrate.ts';
import { PgliteDialect } from '../pglite-dialect.ts';

it('0014 gives every existing group its search key and moves the trigram index there', async () => {
  const pglite = new PGlite({ extensions: { pg_trgm } });
  const db = new Kysely<unknown>({ dialect: new PgliteDialect(pglite) });
  try {
    await migrateTo(db, '0013-report-zstd');
    await sql`insert into project (id, name, time_zone, created_at) values ('p1', 'p1', 'UTC', now())`.execute(
      db,
    );
    await sql`
      insert into finding_group (project_id, kind, key, severity, severity_rank, advisory_id, finding)
      values ('p1', 'vulnerability', 'CVE-2024-0001 deb openssl 3.0.15-1', 'high', 3, 'CVE-2024-0001', '{}'),
        ('p1', 'inventory', 'pkg:deb/debian/zlib@1.2.13', null, -1, null, '{}')`.execute(db);
    await migrateToLatest(db);
    const copied = await sql<{ kind: string; key: string }>`
      select g.kind, s.key from finding_group_search s join finding_group g on g.id = s.group_id order by 1`.execute(
      db,
    );
    assert.deepEqual(copied.rows, [
      { kind: 'inventory', key: 'pkg:deb/debian/zlib@1.2.13' },
      { kind: 'vulnerability', key: 'CVE-2024-0001 deb openssl 3.0.15-1' },
    ]);
    const indexes = await sql<{ table: string; index: string }>`
      select tablename as table, indexname as index from pg_indexes where indexname like '%trigrams' order by 2`.execute(
      db,
    );
    assert.deepEqual(indexes.rows, [
      { table: 'finding_group_search', index: 'finding_group_search_trigrams' },
    ]);
  } finally {
    await db.destroy();
    await pglite.close();
  }
});
