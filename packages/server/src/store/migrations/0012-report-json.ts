import { sql, type Kysely } from 'kysely';

/**
 * Stored reports as `json` (the text as written) rather than `jsonb`: nothing queries inside a
 * report, it is always written and read whole, and jsonb's parsing on every write and its
 * conversion back to text on every read cost about 30% of each (PGlite, 137 KB reports: writes
 * 583 -> 408 ms, reads 223 -> 141 ms per 300). The driver parses both alike.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table scan_result alter column report type json using report::json`.execute(db);
}
