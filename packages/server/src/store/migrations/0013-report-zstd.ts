import { sql, type Kysely } from 'kysely';
import { packReportJson } from '../packed-report.ts';

/**
 * Stored reports packed (zstd-compressed JSON as base64 text, store/packed-report.ts) instead of
 * `json`: about a sixth of the bytes to write and read (bench:rematch, 10,000 images: 34 of 98 s
 * were report writes). Storage `external`: the text is compressed already, so PostgreSQL does not
 * try again. Existing rows are converted here, a batch at a time in id order.
 */
const batchSize = 200;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table scan_result add column report_packed text`.execute(db);
  let after = '';
  for (;;) {
    const { rows } = await sql<{ id: string; report: string }>`
      select id, report::text as report from scan_result where id > ${after} order by id limit ${batchSize}
    `.execute(db);
    const last = rows.at(-1);
    if (!last) break;
    // A `json` column keeps the text as written: it is packed as it is, not parsed and written again.
    await sql`
      update scan_result s set report_packed = v.packed
      from unnest(${rows.map((row) => row.id)}::text[], ${rows.map((row) => packReportJson(row.report))}::text[])
        as v(id, packed)
      where s.id = v.id
    `.execute(db);
    after = last.id;
  }
  await sql`alter table scan_result drop column report`.execute(db);
  await sql`alter table scan_result rename column report_packed to report`.execute(db);
  await sql`alter table scan_result alter column report set not null`.execute(db);
  await sql`alter table scan_result alter column report set storage external`.execute(db);
}
