import { sql, type Kysely } from 'kysely';

/**
 * Scan on push (notifications/registry-events.ts): a registry connection's receiver secret, kept
 * only as its SHA-256 like API tokens (the secret has 256 random bits, so no slow hash is needed and
 * a copy of the database cannot post events), and the project's `scan_on_push` switch beside its
 * other scan settings (off unless the project turns it on).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table registry_event_token (
      connection_id text primary key references registry_connection(id) on delete cascade,
      project_id text not null references project(id) on delete cascade,
      secret_digest text not null,
      created_at timestamptz not null,
      last_event_at timestamptz
    )
  `.execute(db);
  await sql`
    alter table project_scan_settings add column scan_on_push boolean not null default false
  `.execute(db);
}
