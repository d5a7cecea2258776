import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { migrateTo, migrateToLatest } from '../migrate.ts';
import { unpackReport } from '../packed-report.ts';
import { PgliteDialect } from '../pglite-dialect.ts';

it('0013 packs every stored report without changing what it reads as', async () => {
  const pglite = new PGlite();
  const db = new Kysely<unknown>({ dialect: new PgliteDialect(pglite) });
  try {
    await migrateTo(db, '0012-report-json');
    const reportOf = (index: number) => ({
      images: [{ packages: [{ name: `pkg-${index}`, version: '3.0.15-1~deb12u1' }], note: 'ünïcode ✓' }],
    });
    // More rows than one conversion batch, as 0012 stored them; the rows they reference do not
    // matter to the column's conversion.
    await sql`set session_replication_role = replica`.execute(db);
    for (let index = 0; index < 450; index += 1)
      await sql`
        insert into scan_result (id, project_id, image_id, digest, platform, report, risk_types, risk_counts,
          risk_level, matched_at, created_at)
        values (${`r${String(index).padStart(3, '0')}`}, 'p1', 'i1', 'sha256:0', 'linux/amd64',
          ${JSON.stringify(reportOf(index))}::json, '[]', '{}', 'none', now(), now())`.execute(db);
    await sql`set session_replication_role = origin`.execute(db);
    await migrateToLatest(db);
    const column = await sql<{ type: string; nullable: string }>`
      select data_type as type, is_nullable as nullable from information_schema.columns
      where table_name = 'scan_result' and column_name = 'report'`.execute(db);
    assert.deepEqual(column.rows[0], { type: 'text', nullable: 'NO' });
    const stored = await sql<{
      id: string;
      report: string;
    }>`select id, report from scan_result order by id`.execute(db);
    assert.equal(stored.rows.length, 450);
    stored.rows.forEach((row, index) => assert.deepEqual(unpackReport(row.report), reportOf(index), row.id));
  } finally {
    await db.destroy();
    await pglite.close();
  }
});
