import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { migrateTo } from '../migrate.ts';
import { PgliteDialect } from '../pglite-dialect.ts';

it('0012 turns stored jsonb reports into json without changing what they read as', async () => {
  const pglite = new PGlite();
  const db = new Kysely<unknown>({ dialect: new PgliteDialect(pglite) });
  try {
    await migrateTo(db, '0011-registry-events');
    const report = {
      images: [{ packages: [{ name: 'openssl', version: '3.0.15-1~deb12u1' }], durationMs: 12 }],
    };
    // A row as 0011 stored it; the rows it references do not matter to the column's conversion.
    await sql`set session_replication_role = replica`.execute(db);
    await sql`
      insert into scan_result (id, project_id, image_id, digest, platform, report, risk_types, risk_counts,
        risk_level, matched_at, created_at)
      values ('r1', 'p1', 'i1', 'sha256:0', 'linux/amd64', ${JSON.stringify(report)}::jsonb, '[]', '{}', 'none',
        now(), now())`.execute(db);
    await sql`set session_replication_role = origin`.execute(db);
    await migrateTo(db, '0012-report-json');
    const type = await sql<{ type: string }>`
      select data_type as type from information_schema.columns
      where table_name = 'scan_result' and column_name = 'report'`.execute(db);
    assert.equal(type.rows[0]?.type, 'json');
    const stored = await sql<{ report: unknown }>`select report from scan_result where id = 'r1'`.execute(db);
    assert.deepEqual(stored.rows[0]?.report, report);
  } finally {
    await db.destroy();
    await pglite.close();
  }
});
