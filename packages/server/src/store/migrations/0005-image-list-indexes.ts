import { sql, type Kysely } from 'kysely';
import { optionalStep } from '../optional-step.ts';

/**
 * Indexes for the repository image list (inventory/image-list.ts) at 100,000 images; the
 * measurements behind each are in bench/RESULTS.md (issue 8). All are partial on live images,
 * the only ones the list and the scan scopes read.
 *
 * - `live_order`: the list's default order (`name`: repository, tag, connection, id) read
 *   straight from the index, a page in well under a millisecond and a deep page without sorting
 *   on disk; its keys also answer a capped count without touching the table.
 * - `live_status`: the status filter, with the registry connection (registry types are turned
 *   into connection ids before the query) and the default order's columns included, so a status
 *   filter's matches are gathered and sorted without reading the table.
 * - `live_namespace`: the namespace filter, alone or with a tag.
 * - `live_name`: the name filter, a substring of `repository:tag` (`ILIKE '%…%'`), which only a
 *   trigram index can serve. It needs the pg_trgm extension: PGlite gets it from store.ts; a
 *   PostgreSQL server has it when its contrib modules are installed (Debian's postgresql package
 *   includes them) and the service's role may create a trusted extension (the database owner
 *   may). Where either is missing, the step is rolled back to a savepoint and the list filters by
 *   name without the index (a scan of the project's images), so the migration never fails for it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index repository_image_live_order on repository_image
      (project_id, repository, tag, connection_id, id) where deleted_at is null
  `.execute(db);
  await sql`
    create index repository_image_live_status on repository_image
      (project_id, scan_status, connection_id) include (repository, tag, id) where deleted_at is null
  `.execute(db);
  await sql`
    create index repository_image_live_namespace on repository_image
      (project_id, namespace, tag) where deleted_at is null
  `.execute(db);
  await createNameIndex(db);
}

/**
 * The trigram index, inside a savepoint of the migration's transaction: a failed statement would
 * otherwise abort the whole migration. Its expression must stay the one the name filter uses
 * (tasks/scan-scope.ts) for the planner to match them.
 */
async function createNameIndex(db: Kysely<unknown>): Promise<void> {
  await optionalStep(db, 'image_list_name_index', async () => {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`
      create index repository_image_live_name on repository_image
        using gin ((repository || ':' || tag) gin_trgm_ops) where deleted_at is null
    `.execute(db);
  });
}
