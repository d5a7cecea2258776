import { sql, type Kysely } from 'kysely';
import { optionalStep } from '../optional-step.ts';

/**
 * The finding index behind the risk views (results/finding-index.ts writes it,
 * results/risk-groups.ts reads it). Reading every current report per request took 46 s at
 * 100,000 images (bench/RESULTS.md, issue 8); these tables answer a page in milliseconds.
 *
 * - `finding_group`: each distinct finding of a project once (its identity `key` within a risk
 *   kind), with the finding as first seen and the number of live images whose current results
 *   hold it. Keys sort bytewise (`collate "C"`) so SQL and the service's merge agree on order.
 *   `advisory_id` names a vulnerability's advisory: handling applies per advisory, so a read can
 *   tell which groups handling may touch.
 * - `result_finding`: the groups each indexed result is counted in (a result is indexed while it
 *   is the current result of its image and platform and the image is live).
 * - `image_finding`: per group, the images holding it and in how many of their platforms'
 *   results: the affected-image lists, and the count's source of truth.
 * - `finding_total`: per kind and severity, how many groups live images hold: a view's total
 *   without counting its groups (20,000 vulnerability groups took 6 ms to count per request).
 * - `finding_group_key_trigrams`: the views' search, a substring of the key (`ILIKE '%…%'`), where
 *   pg_trgm is available (as for migration 0005's name index); elsewhere the search scans the
 *   kind's groups. Migration 0014 moves it to a table of its own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table finding_group (
      id integer generated always as identity primary key,
      project_id text not null references project(id) on delete cascade,
      kind text not null,
      key text collate "C" not null,
      severity text,
      severity_rank smallint not null,
      advisory_id text,
      images integer not null default 0,
      finding jsonb not null,
      unique (project_id, kind, key)
    )
  `.execute(db);
  await sql`
    create index finding_group_order on finding_group
      (project_id, kind, severity_rank desc, images desc, key) where images > 0
  `.execute(db);
  await sql`
    create index finding_group_advisory on finding_group (project_id, advisory_id)
      where advisory_id is not null
  `.execute(db);
  await sql`
    create table result_finding (
      result_id text primary key references scan_result(id) on delete cascade,
      project_id text not null references project(id) on delete cascade,
      image_id text not null,
      platform text not null,
      group_ids integer[] not null
    )
  `.execute(db);
  await sql`create index result_finding_image on result_finding (image_id)`.execute(db);
  await sql`
    create table image_finding (
      group_id integer not null references finding_group(id) on delete cascade,
      image_id text not null,
      results integer not null,
      primary key (group_id, image_id)
    )
  `.execute(db);
  await sql`create index image_finding_image on image_finding (image_id)`.execute(db);
  await sql`
    create table finding_total (
      project_id text not null references project(id) on delete cascade,
      kind text not null,
      severity_rank smallint not null,
      groups integer not null,
      primary key (project_id, kind, severity_rank)
    )
  `.execute(db);
  await optionalStep(db, 'finding_group_key_trigrams', async () => {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`create index finding_group_key_trigrams on finding_group using gin (key gin_trgm_ops)`.execute(
      db,
    );
  });
  // Results stored before this migration are indexed by the service at its next start.
  await sql`
    insert into service_state (key, value, updated_at)
    select ${findingIndexBackfillKey}, 'true'::jsonb, now() where exists (select 1 from scan_result)
  `.execute(db);
}

/** The service_state row that asks the service to index the results stored before migration 0006. */
export const findingIndexBackfillKey = 'finding_index_backfill';
