import { sql, type Kysely } from 'kysely';

/**
 * The layer cache (worker/layer-cache-store.ts): analysed layers by cache key, shared by every
 * project (a key names the layer's content and the analysis, never a project's data). The index on
 * last use serves the least-recently-used eviction.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table layer_cache (
      key text primary key,
      value bytea not null,
      size integer not null,
      created_at timestamptz not null,
      last_used_at timestamptz not null
    )
  `.execute(db);
  await sql`create index layer_cache_last_used on layer_cache (last_used_at, key)`.execute(db);
}
