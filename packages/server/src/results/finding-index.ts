import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ImageReport } from '@drydock/engine';
import { anyOf } from '../store/any-of.ts';
import { findingIndexBackfillKey } from '../store/migrations/0006-finding-index.ts';
import type { Database } from '../store/schema.ts';
import { currentResults, withReports, type StoredResult } from './current-results.ts';
import { keyedFindings, severityRank, type KeyedFinding } from './finding-keys.ts';

/**
 * Keeps the finding index (migration 0006) in step with the current results: a result is counted
 * while it is the current result of its image and platform and the image is live. Writers call
 * `indexResults` when results become current or their reports change (a scan, a re-match, an image
 * back in its registry) and `unindexImages` when images go (a sync no longer finds them, their
 * registry is removed), inside the transaction that makes the change, as its last step.
 *
 * Every write takes one transaction-scoped advisory lock per project first: writers of one project
 * queue instead of interleaving row locks on the shared groups (the finding of a base image is in
 * every result), so concurrent workers on PostgreSQL never deadlock here. Taking it last in the
 * transaction keeps the rule simple: no writer waits for another lock while holding this one.
 */

export interface IndexableResult {
  readonly id: string;
  readonly imageId: string;
  readonly platform: string;
  readonly report: ImageReport;
}

async function lockProjectIndex(db: Kysely<Database>, projectId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`drydock finding index ${projectId}`}))`.execute(db);
}

/** Removes every indexed result of `imageIds` from the counts. */
async function unindex(db: Kysely<Database>, imageIds: readonly string[]): Promise<void> {
  await takeOut(db, imageIds);
  await dropEmptied(db, imageIds);
}

/**
 * Takes results out of their images' per-group counts and drops their rows, leaving rows that
 * reach zero for `dropEmptied`. In SQL, not through `countOut`: a registry's removal takes out
 * every result of its images, more group ids than are worth reading back.
 */
async function takeOut(db: Kysely<Database>, imageIds: readonly string[]): Promise<void> {
  const inScope = sql`r.image_id = ${anyOf(imageIds)}`;
  await sql`
    update image_finding f set results = f.results - p.n
    from (
      select g.id as group_id, r.image_id, count(*)::int as n
      from result_finding r cross join lateral unnest(r.group_ids) as g(id)
      where ${inScope}
      group by 1, 2
    ) p
    where f.group_id = p.group_id and f.image_id = p.image_id
  `.execute(db);
  await sql`delete from result_finding r where ${inScope}`.execute(db);
}

/** Drops the images' groups no result holds any more, and counts those images out of the groups. */
async function dropEmptied(db: Kysely<Database>, imageIds: readonly string[]): Promise<void> {
  await countOutOfGroups(
    db,
    sql`
      delete from image_finding f
      where f.results <= 0 and f.image_id = ${anyOf(imageIds)}
      returning f.group_id
    `,
  );
}

/**
 * Counts the images whose rows `deleted` removes (a delete from image_finding returning
 * `group_id`) out of their groups, and moves the views' totals by the groups that emptied.
 */
async function countOutOfGroups(db: Kysely<Database>, deleted: RawBuilder<unknown>): Promise<void> {
  const decremented = await sql<Crossing>`
    with emptied as (${deleted})
    update finding_group g set images = g.images - e.n
    from (select group_id, count(*)::int as n from emptied group by 1) e
    where g.id = e.group_id
    returning g.project_id, g.kind, g.severity_rank, g.images = 0 as crossed
  `.execute(db);
  await addToTotals(db, decremented.rows, -1);
}

/** A group whose image count changed, and whether it crossed zero (left or joined the views). */
interface Crossing {
  readonly projectId: string;
  readonly kind: string;
  readonly severityRank: number;
  readonly crossed: boolean;
}

/** Moves the views' totals (`finding_total`) by the groups that crossed zero, `sign` each. */
async function addToTotals(db: Kysely<Database>, changed: readonly Crossing[], sign: 1 | -1): Promise<void> {
  const totals = new Map<string, { projectId: string; kind: string; severityRank: number; groups: number }>();
  for (const row of changed) {
    if (!row.crossed) continue;
    const slot = `${row.projectId}\u0000${row.kind}\u0000${row.severityRank}`;
    const total = totals.get(slot) ?? {
      projectId: row.projectId,
      kind: row.kind,
      severityRank: row.severityRank,
      groups: 0,
    };
    totals.set(slot, { ...total, groups: total.groups + sign });
  }
  if (totals.size === 0) return;
  await db
    .insertInto('findingTotal')
    .values([...totals.values()])
    .onConflict((conflict) =>
      conflict
        .columns(['projectId', 'kind', 'severityRank'])
        .doUpdateSet((eb) => ({ groups: eb('findingTotal.groups', '+', eb.ref('excluded.groups')) })),
    )
    .execute();
}

/**
 * The ids of the project's groups for `findings`, creating the missing ones, added to `ids`
 * (identity → id), which it returns; groups already in `ids` are not looked up.
 */
async function groupIds(
  db: Kysely<Database>,
  projectId: string,
  findings: readonly KeyedFinding[],
  ids: Map<string, number>,
): Promise<Map<string, number>> {
  // A batch's images share their base's findings: each group is looked up once.
  const distinct = [
    ...new Map(
      findings
        .filter((finding) => !ids.has(identityOf(finding)))
        .map((finding) => [identityOf(finding), finding]),
    ).values(),
  ];
  if (distinct.length === 0) return ids;
  // Per kind, `key = any(…)`: an index scan of the unique key whatever the statistics say (a join
  // with the unnested pairs became a hash join over the whole table after a VACUUM: 1.5 -> 13.7 s
  // of group lookups in a 10,000-image re-match).
  const keysByKind = new Map<string, string[]>();
  for (const finding of distinct) {
    const keys = keysByKind.get(finding.kind);
    if (keys) keys.push(finding.key);
    else keysByKind.set(finding.kind, [finding.key]);
  }
  for (const [kind, keys] of keysByKind) {
    const existing = await sql<{ id: number; key: string }>`
      select id, key from finding_group
      where project_id = ${projectId} and kind = ${kind} and key = any(${keys}::text[])
    `.execute(db);
    for (const row of existing.rows) ids.set(identityOf({ kind, key: row.key }), row.id);
  }
  const missing = distinct.filter((finding) => !ids.has(identityOf(finding)));
  if (missing.length === 0) return ids;
  // The group and its search key (migration 0014) in one statement.
  const inserted = await sql<{ id: number; kind: string; key: string }>`
    with created as (
      insert into finding_group (project_id, kind, key, severity, severity_rank, advisory_id, finding)
      select ${projectId}, e.kind, e.key, e.severity, e.severity_rank, e.advisory_id, e.finding::jsonb
      from unnest(
        ${missing.map((f) => f.kind)}::text[],
        ${missing.map((f) => f.key)}::text[],
        ${missing.map((f) => f.severity ?? null)}::text[],
        ${missing.map((f) => severityRank(f.severity))}::int[],
        ${missing.map((f) => f.advisoryId ?? null)}::text[],
        ${missing.map((f) => JSON.stringify(f.finding))}::text[]
      ) as e(kind, key, severity, severity_rank, advisory_id, finding)
      returning id, kind, key
    ), searchable as (
      insert into finding_group_search (group_id, key) select id, key from created
    )
    select id, kind, key from created
  `.execute(db);
  for (const row of inserted.rows) ids.set(identityOf(row), row.id);
  return ids;
}

function identityOf(group: { readonly kind: string; readonly key: string }): string {
  return `${group.kind}\u0000${group.key}`;
}

function slotOf(imageId: string, platform: string): string {
  return `${imageId}\u0000${platform}`;
}

/** An image's row for a group in `image_finding`. */
function pairOf(groupId: number, imageId: string): string {
  return `${groupId}\u0000${imageId}`;
}

/** Per image, per group: how many more (or, negative, fewer) of the image's results hold the group. */
type GroupChange = Map<string, Map<number, number>>;

function addToChange(change: GroupChange, imageId: string, groups: readonly number[], by: 1 | -1): void {
  let counts = change.get(imageId);
  if (!counts) change.set(imageId, (counts = new Map()));
  for (const group of groups) counts.set(group, (counts.get(group) ?? 0) + by);
}

/** The (group, image, count) triples of a change whose count has `sign`, as three column arrays. */
function changedPairs(change: GroupChange, sign: 1 | -1) {
  const pairs = { groups: [] as number[], images: [] as string[], counts: [] as number[] };
  for (const [imageId, counts] of change) {
    for (const [group, count] of counts) {
      if (Math.sign(count) !== sign) continue;
      pairs.groups.push(group);
      pairs.images.push(imageId);
      pairs.counts.push(Math.abs(count));
    }
  }
  return pairs;
}

/**
 * Counts `results` (of one project) as the current results of their images and platforms: the
 * results they replace (the same image and platform, or the same results before a re-match) are
 * taken out; results of images that are not live are only taken out.
 *
 * Only the difference touches the images' groups. A re-match changes a few findings of each image
 * and a new scan of an image mostly holds what the last one held; taking every group out and
 * counting it in again rewrote each `image_finding` row twice and was most of a re-match's time.
 *
 * `knownGroups` (identity → group id, filled as groups are looked up) lets a writer of many
 * batches look each group up once: group ids never change. It must not outlive a transaction
 * that rolled back (the groups it created are gone).
 */
export async function indexResults(
  db: Kysely<Database>,
  projectId: string,
  results: readonly IndexableResult[],
  counting: 'count' | 'recount later' = 'count',
  knownGroups: Map<string, number> = new Map(),
): Promise<void> {
  if (results.length === 0) return;
  await lockProjectIndex(db, projectId);
  const imageIds = [...new Set(results.map((result) => result.imageId))];
  const slots = new Set(results.map((result) => slotOf(result.imageId, result.platform)));
  const replaced = (
    await db
      .selectFrom('resultFinding')
      .select(['resultId', 'imageId', 'platform', 'groupIds'])
      .where('imageId', '=', anyOf(imageIds))
      .execute()
  ).filter((row) => slots.has(slotOf(row.imageId, row.platform)));
  const rows = await resultRows(db, projectId, imageIds, results, knownGroups);

  const change: GroupChange = new Map();
  for (const row of replaced) addToChange(change, row.imageId, row.groupIds, -1);
  for (const row of rows) addToChange(change, row.imageId, row.groupIds, 1);
  if (replaced.length > 0)
    await db
      .deleteFrom('resultFinding')
      .where('resultId', '=', anyOf(replaced.map((row) => row.resultId)))
      .execute();
  if (rows.length > 0) await db.insertInto('resultFinding').values(rows).execute();
  await countIn(db, change, counting);
  await countOut(db, change);
}

/** The `result_finding` rows of the live images' results, creating the groups they hold. */
async function resultRows(
  db: Kysely<Database>,
  projectId: string,
  imageIds: readonly string[],
  results: readonly IndexableResult[],
  knownGroups: Map<string, number>,
) {
  const live = new Set(
    (
      await db
        .selectFrom('repositoryImage')
        .select('id')
        .where('id', '=', anyOf(imageIds))
        .where('deletedAt', 'is', null)
        .execute()
    ).map((row) => row.id),
  );
  const counted = results.filter((result) => live.has(result.imageId));
  const findingsOf = counted.map((result) => keyedFindings(result.report));
  const ids = await groupIds(db, projectId, findingsOf.flat(), knownGroups);
  return counted.map((result, index) => ({
    resultId: result.id,
    projectId,
    imageId: result.imageId,
    platform: result.platform,
    groupIds: [...new Set((findingsOf[index] ?? []).map((f) => ids.get(identityOf(f)) ?? -1))].sort(
      (a, b) => a - b,
    ),
  }));
}

/** Adds a change's gains: more results of an image holding a group, or a group new to an image. */
async function countIn(
  db: Kysely<Database>,
  change: GroupChange,
  counting: 'count' | 'recount later',
): Promise<void> {
  const gained = changedPairs(change, 1);
  if (gained.groups.length === 0) return;
  const held = await db
    .selectFrom('imageFinding')
    .select(['groupId', 'imageId'])
    .where('imageId', '=', anyOf(new Set(gained.images)))
    .where(sql<boolean>`group_id = any(${[...new Set(gained.groups)]}::int[])`)
    .execute();
  const heldPairs = new Set(held.map((row) => pairOf(row.groupId, row.imageId)));
  const more = { groups: [] as number[], images: [] as string[], counts: [] as number[] };
  const fresh = { groups: [] as number[], images: [] as string[], counts: [] as number[] };
  const newImages = new Map<number, number>();
  gained.groups.forEach((group, index) => {
    const imageId = gained.images[index] ?? '';
    const target = heldPairs.has(pairOf(group, imageId)) ? more : fresh;
    target.groups.push(group);
    target.images.push(imageId);
    target.counts.push(gained.counts[index] ?? 0);
    if (target === fresh) newImages.set(group, (newImages.get(group) ?? 0) + 1);
  });
  if (more.groups.length > 0)
    await sql`
      update image_finding f set results = f.results + p.n
      from unnest(${more.groups}::int[], ${more.images}::text[], ${more.counts}::int[]) as p(group_id, image_id, n)
      where f.group_id = p.group_id and f.image_id = p.image_id
    `.execute(db);
  if (fresh.groups.length === 0) return;
  await sql`
    insert into image_finding (group_id, image_id, results)
    select * from unnest(${fresh.groups}::int[], ${fresh.images}::text[], ${fresh.counts}::int[])
  `.execute(db);
  if (counting === 'recount later') return;
  const incremented = await sql<Crossing>`
    update finding_group g set images = g.images + p.n
    from unnest(${[...newImages.keys()]}::int[], ${[...newImages.values()]}::int[]) as p(id, n)
    where g.id = p.id
    returning g.project_id, g.kind, g.severity_rank, g.images = p.n as crossed
  `.execute(db);
  await addToTotals(db, incremented.rows, 1);
}

/**
 * Takes a change's losses out: an image's row for a group goes when no result of the image holds
 * the group any more (and the image leaves the group's count), else its count drops.
 */
async function countOut(db: Kysely<Database>, change: GroupChange): Promise<void> {
  const lost = changedPairs(change, -1);
  if (lost.groups.length === 0) return;
  await countOutOfGroups(
    db,
    sql`
      delete from image_finding f
      using unnest(${lost.groups}::int[], ${lost.images}::text[], ${lost.counts}::int[]) as p(group_id, image_id, n)
      where f.group_id = p.group_id and f.image_id = p.image_id and f.results <= p.n
      returning f.group_id
    `,
  );
  // The rows the delete left are held by other results of their images still.
  await sql`
    update image_finding f set results = f.results - p.n
    from unnest(${lost.groups}::int[], ${lost.images}::text[], ${lost.counts}::int[]) as p(group_id, image_id, n)
    where f.group_id = p.group_id and f.image_id = p.image_id
  `.execute(db);
}

/**
 * Sets every group's image count of a project from `image_finding`, and the views' totals from
 * the groups: one write per group, where
 * counting result by result would rewrite the groups of a base image once per result (and leave
 * their rows and the order index bloated with the versions).
 */
async function recountGroups(db: Kysely<Database>, projectId: string): Promise<void> {
  await lockProjectIndex(db, projectId);
  await sql`
    update finding_group g set images = c.n
    from (
      select g2.id, count(f.group_id)::int as n
      from finding_group g2 left join image_finding f on f.group_id = g2.id
      where g2.project_id = ${projectId}
      group by g2.id
    ) c
    where g.id = c.id and g.images <> c.n
  `.execute(db);
  await db.deleteFrom('findingTotal').where('projectId', '=', projectId).execute();
  await sql`
    insert into finding_total (project_id, kind, severity_rank, groups)
    select project_id, kind, severity_rank, count(*)::int from finding_group
    where project_id = ${projectId} and images > 0
    group by 1, 2, 3
  `.execute(db);
}

/** Takes every result of `imageIds` (of one project) out of the counts: the images are gone. */
export async function unindexImages(
  db: Kysely<Database>,
  projectId: string,
  imageIds: readonly string[],
): Promise<void> {
  if (imageIds.length === 0) return;
  await lockProjectIndex(db, projectId);
  await unindex(db, imageIds);
}

/** Indexes the current results of `imageIds` (images back in their registry), reading their reports. */
export async function indexImages(
  db: Kysely<Database>,
  projectId: string,
  imageIds: readonly string[],
): Promise<void> {
  if (imageIds.length === 0) return;
  const results = await currentResults(db, { projectId, imageIds });
  await indexStoredResults(db, projectId, results);
}

async function indexStoredResults(
  db: Kysely<Database>,
  projectId: string,
  results: readonly StoredResult[],
  counting: 'count' | 'recount later' = 'count',
): Promise<void> {
  const batch: IndexableResult[] = [];
  for await (const { result, report } of withReports(db, results)) {
    batch.push({ id: result.id, imageId: result.imageId, platform: result.platform, report });
  }
  await indexResults(db, projectId, batch, counting);
}

/**
 * Indexes the current results of live images that the index does not hold, when migration 0006
 * found stored results (a database written before it), a batch of reports per transaction; then
 * clears the request. Returns how many results it indexed.
 */
export async function indexMissingResults(db: Kysely<Database>): Promise<number> {
  const requested = await db
    .selectFrom('serviceState')
    .select('key')
    .where('key', '=', findingIndexBackfillKey)
    .executeTakeFirst();
  if (!requested) return 0;
  const indexed = new Set(
    (await db.selectFrom('resultFinding').select('resultId').execute()).map((row) => row.resultId),
  );
  const missing = (await currentResults(db, {})).filter((result) => !indexed.has(result.id));
  const byProject = new Map<string, StoredResult[]>();
  for (const result of missing) {
    const list = byProject.get(result.projectId) ?? [];
    list.push(result);
    byProject.set(result.projectId, list);
  }
  const batchSize = 50;
  for (const [projectId, results] of byProject) {
    for (let start = 0; start < results.length; start += batchSize) {
      const batch = results.slice(start, start + batchSize);
      await db.transaction().execute((trx) => indexStoredResults(trx, projectId, batch, 'recount later'));
    }
    await db.transaction().execute((trx) => recountGroups(trx, projectId));
  }
  await db.deleteFrom('serviceState').where('key', '=', findingIndexBackfillKey).execute();
  return missing.length;
}
