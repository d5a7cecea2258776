import { sql, type Kysely } from 'kysely';

/**
 * Scans requested by Harbor through the pluggable scanner adapter (harbor/): one row per scan
 * request, owned by the project of the API token Harbor called with. The registry authorization
 * Harbor sent is kept sealed (credential vault) only until the scan ends; the report is the
 * engine's scan report, rendered in the MIME type Harbor asks for when it fetches it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table harbor_scan (
      id text primary key,
      project_id text not null references project(id) on delete cascade,
      requested_by text not null,
      registry_url text not null,
      repository text not null,
      digest text not null,
      tag text,
      mime_type text,
      authorization_sealed text,
      status text not null,
      job_id text,
      report jsonb,
      failure_code text,
      failure_message text,
      created_at timestamptz not null,
      started_at timestamptz,
      finished_at timestamptz
    )
  `.execute(db);
  await sql`create index harbor_scan_project on harbor_scan (project_id, created_at)`.execute(db);
}
