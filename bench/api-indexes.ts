/**
 * Indexes the API benchmark can add to its own database (BENCH_INDEXES=1) to measure what they
 * would change; they are proposals, not part of the service's migrations. What each is for is in
 * bench/RESULTS.md (2026-11-27, API): the image list's order, its status and registry filters, and
 * its name filter (`repository || ':' || tag` ILIKE '%…%', which only a trigram index can serve).
 */
import pg from 'pg';

export const proposedIndexes = [
  {
    name: 'repository_image_live_order',
    sql: `create index repository_image_live_order on repository_image
            (project_id, repository, tag, connection_id) include (id) where deleted_at is null`,
  },
  {
    name: 'repository_image_live_status',
    sql: `create index repository_image_live_status on repository_image
            (project_id, scan_status, connection_id) where deleted_at is null`,
  },
  {
    name: 'repository_image_live_name (pg_trgm)',
    sql: `create index repository_image_live_name on repository_image
            using gin ((repository || ':' || tag) gin_trgm_ops) where deleted_at is null`,
  },
] as const;

/** Creates the proposed indexes (and the pg_trgm extension) and refreshes the statistics; seconds. */
export async function applyProposedIndexes(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  try {
    await client.query('create extension if not exists pg_trgm');
    for (const index of proposedIndexes) await client.query(index.sql);
    await client.query('vacuum (analyze) repository_image');
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}
