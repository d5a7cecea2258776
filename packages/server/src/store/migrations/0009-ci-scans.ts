import { sql, type Kysely } from 'kysely';

/**
 * Scan reports uploaded by `drydock image --server` from CI jobs (ci/): one row per upload, owned
 * by the project it was sent to. The report is kept as sent (secrets masked, fingerprints dropped);
 * the risk counts and level are computed once on upload, as the image list computes them, so the
 * list needs no report. `idempotency_key` (the `Idempotency-Key` header) makes a retried upload
 * the first one: unique per project, null when the client sent none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ci_scan (
      id text primary key,
      project_id text not null references project(id) on delete cascade,
      reference text not null,
      digest text,
      platforms jsonb not null,
      report jsonb not null,
      risk_counts jsonb not null,
      risk_level text not null,
      uploaded_by text not null,
      idempotency_key text,
      created_at timestamptz not null
    )
  `.execute(db);
  await sql`create index ci_scan_project on ci_scan (project_id, created_at)`.execute(db);
  await sql`
    create unique index ci_scan_idempotency on ci_scan (project_id, idempotency_key)
    where idempotency_key is not null
  `.execute(db);
}
