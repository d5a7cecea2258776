import { sql, type Kysely } from 'kysely';
import { optionalStep } from '../optional-step.ts';

/**
 * The risk views' search index moves from `finding_group` to `finding_group_search`, a copy of
 * each group's key that is written once, when the group is created. A group's `images` count
 * changes with every write of the index and sits in the order index, so every change is a new row
 * version with new entries in every index: with the trigram index on `key` among them, two thirds
 * of a re-match's group count updates went into trigram entries for a key that never changes
 * (bench:rematch, 2,000 images: 661 -> 245 ms without it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table finding_group_search (
      group_id integer primary key references finding_group(id) on delete cascade,
      key text collate "C" not null
    )
  `.execute(db);
  await sql`insert into finding_group_search (group_id, key) select id, key from finding_group`.execute(db);
  await sql`drop index if exists finding_group_key_trigrams`.execute(db);
  await optionalStep(db, 'finding_group_search_trigrams', async () => {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`create index finding_group_search_trigrams on finding_group_search using gin (key gin_trgm_ops)`.execute(
      db,
    );
  });
}
