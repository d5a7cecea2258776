/**
 * Indexes the API benchmark can add to its own database (BENCH_INDEXES=1) to measure what they
 * would change before any of them goes into the service's migrations. The list is empty: the
 * first proposals (the image list's order, its status and registry filters, its name filter as a
 * pg_trgm index) were measured here on 2026-11-27 and are now migration 0005
 * (packages/server/src/store/migrations/0005-image-list-indexes.ts); bench/RESULTS.md has the
 * figures before and after. A new proposal goes in the list with a name of its own.
 */
import pg from 'pg';

export interface ProposedIndex {
  /** Printed by the benchmark; the index's name unless the entry says more. */
  readonly name: string;
  /** Statements run in order (an extension first, if the index needs one). */
  readonly sql: readonly string[];
}

export const proposedIndexes: readonly ProposedIndex[] = [];

/** Creates the proposed indexes and refreshes the statistics of what they index; seconds. */
export async function applyProposedIndexes(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  try {
    for (const index of proposedIndexes) for (const statement of index.sql) await client.query(statement);
    await client.query('vacuum (analyze) repository_image');
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}
