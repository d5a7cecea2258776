import { sql, type Kysely } from 'kysely';
import { ServiceError } from '../service-error.ts';
import { anyOf } from '../store/any-of.ts';
import type { Database } from '../store/schema.ts';
import { imageSummaries, loadHandlingView, type HandlingView, type ImageSummary } from './current-results.ts';
import { severityRank, type RiskViewKind, type StoredFindingOf } from './finding-keys.ts';
import { secretIgnoredBy } from './secret-handling.ts';
import type { HandlingState } from './vulnerability-handling.ts';
import { containsPattern } from '../store/like-pattern.ts';

/**
 * The risk views read from the finding index (migration 0006): each distinct finding of a kind
 * once, most severe first, then the most widespread, then by key, with how many live images hold
 * it and a few of them; the full list of affected images is `affectedImages`.
 *
 * Handling (vulnerability states, ignored secrets) is decided per image at read time, as
 * everywhere else. Without a handling filter it only labels the images shown. With one, only the
 * groups handling can touch are evaluated image by image — vulnerability groups of advisories
 * with handling entries, and every secret group once the project ignores a secret or allowlists a
 * path; every other group is open in all its images and is counted and ordered by the database.
 */

export interface RiskGroupFilter {
  readonly severities?: readonly string[];
  readonly handling?: readonly HandlingState[];
  readonly imageIds?: readonly string[];
  /** A substring of the key (an advisory or package name, a rule id, a path). */
  readonly search?: string;
}

export interface RiskGroupQuery<K extends RiskViewKind> {
  readonly projectId: string;
  readonly kind: K;
  readonly filter?: RiskGroupFilter;
  readonly offset: number;
  readonly limit: number;
  readonly now: Date;
  /** Affected images listed with each group (the first by image id; default 1). */
  readonly samples?: number;
}

/** An image holding a finding: the platforms whose current results hold it, its handling there. */
export interface AffectedImage {
  readonly image: ImageSummary;
  readonly platforms: readonly { readonly platform: string; readonly resultId: string }[];
  readonly handling: HandlingState;
}

export interface RiskGroup<K extends RiskViewKind> {
  readonly key: string;
  readonly severity: string | undefined;
  /** The finding as the index first saw it (locations can differ per image). */
  readonly finding: StoredFindingOf[K];
  /** Images holding it (matching the filter). */
  readonly imageCount: number;
  readonly images: readonly AffectedImage[];
}

export interface RiskGroupPage<K extends RiskViewKind> {
  readonly total: number;
  readonly groups: readonly RiskGroup<K>[];
}

interface GroupOrder {
  readonly id: number;
  readonly key: string;
  readonly severityRank: number;
  readonly images: number;
}

/** The views' order: severity, then images, then key (bytewise, as the index column sorts). */
function compareGroups(a: GroupOrder, b: GroupOrder): number {
  return (
    b.severityRank - a.severityRank || b.images - a.images || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

interface Touched {
  /** Every group of the kind may be touched (secrets with ignores or an allowlist). */
  readonly all: boolean;
  readonly advisoryIds: readonly string[];
}

function touchedBy(kind: RiskViewKind, view: HandlingView): Touched {
  if (kind === 'vulnerability') return { all: false, advisoryIds: [...view.vulnerabilities.advisoryIds] };
  if (kind === 'secret') {
    const rules = view.secrets;
    const handles =
      rules.allowlist.globs.length > 0 || rules.ignores.some((entry) => entry.removedAt === null);
    return { all: handles, advisoryIds: [] };
  }
  return { all: false, advisoryIds: [] };
}

/** `column` (a severity rank) is the rank of one of `severities`. */
function severityRankIn(column: string, severities: readonly string[]) {
  return sql<boolean>`${sql.ref(column)} = any(${severities.map((severity) => severityRank(severity))}::int[])`;
}

/** The groups of the kind matching severity, search and (as a join) the images. */
function matchingGroups(
  db: Kysely<Database>,
  projectId: string,
  kind: RiskViewKind,
  filter: RiskGroupFilter,
) {
  let query = db
    .selectFrom('findingGroup as g')
    .where('g.projectId', '=', projectId)
    .where('g.kind', '=', kind);
  // By rank, the order index's third column, so the index serves the filter too.
  if (filter.severities !== undefined && kind !== 'inventory')
    query = query.where(severityRankIn('g.severity_rank', filter.severities));
  if (filter.search !== undefined && filter.search !== '')
    // Through the search table's trigram index (migration 0014), where pg_trgm is available.
    query = query.where(
      sql<boolean>`g.id in (select s.group_id from finding_group_search s where s.key ilike ${containsPattern(filter.search)})`,
    );
  return query;
}

/** The untouched groups' order rows, `count` of them from the top, and how many there are. */
async function untouchedGroups(
  db: Kysely<Database>,
  query: RiskGroupQuery<RiskViewKind>,
  touched: Touched | undefined,
  count: number,
  offset: number,
): Promise<{ readonly rows: GroupOrder[]; readonly total: number }> {
  const filter = query.filter ?? {};
  let base = matchingGroups(db, query.projectId, query.kind, filter);
  if (touched?.all) return { rows: [], total: 0 };
  if (touched && touched.advisoryIds.length > 0)
    base = base.where(
      sql<boolean>`(g.advisory_id is null or not (g.advisory_id = any(${touched.advisoryIds}::text[])))`,
    );
  if (filter.imageIds !== undefined) {
    const joined = base
      .innerJoin('imageFinding as f', 'f.groupId', 'g.id')
      .where('f.imageId', '=', anyOf(filter.imageIds));
    const [rows, total] = await Promise.all([
      joined
        .select(['g.id', 'g.key', 'g.severityRank', sql<number>`count(*)::int`.as('images')])
        .groupBy('g.id')
        .orderBy('g.severityRank', 'desc')
        .orderBy('images', 'desc')
        .orderBy('g.key')
        .offset(offset)
        .limit(count)
        .execute(),
      joined.select(sql<number>`count(distinct g.id)::int`.as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: total.total };
  }
  const live = base.where('g.images', '>', 0);
  const [rows, total] = await Promise.all([
    live
      .select(['g.id', 'g.key', 'g.severityRank', 'g.images'])
      .orderBy('g.severityRank', 'desc')
      .orderBy('g.images', 'desc')
      .orderBy('g.key')
      .offset(offset)
      .limit(count)
      .execute(),
    touched === undefined && !filter.search
      ? keptTotal(db, query.projectId, query.kind, filter.severities)
      : live
          .select(sql<number>`count(*)::int`.as('total'))
          .executeTakeFirstOrThrow()
          .then((row) => row.total),
  ]);
  return { rows, total };
}

/** The number of a kind's groups (of some severities) live images hold, as the index keeps it. */
async function keptTotal(
  db: Kysely<Database>,
  projectId: string,
  kind: RiskViewKind,
  severities: readonly string[] | undefined,
): Promise<number> {
  let query = db
    .selectFrom('findingTotal')
    .select(sql<number>`coalesce(sum(groups), 0)::int`.as('total'))
    .where('projectId', '=', projectId)
    .where('kind', '=', kind);
  if (severities !== undefined && kind !== 'inventory')
    query = query.where(severityRankIn('severity_rank', severities));
  return (await query.executeTakeFirstOrThrow()).total;
}

interface GroupImageRow {
  readonly groupId: number;
  readonly image: ImageSummary;
}

/** The state of a group's finding in one image. */
function handlingIn(
  kind: RiskViewKind,
  finding: unknown,
  image: ImageSummary,
  view: HandlingView,
): HandlingState {
  if (kind === 'vulnerability') {
    const vulnerability = finding as StoredFindingOf['vulnerability'];
    return view.vulnerabilities.forImage(image).stateOf(vulnerability.id, vulnerability.package.name);
  }
  if (kind === 'secret')
    return secretIgnoredBy(view.secrets, image.id, finding as StoredFindingOf['secret']) === undefined
      ? 'open'
      : 'ignored';
  return 'open';
}

/** The live images holding each of `groupIds` (within `imageIds`), with their summaries. */
async function imagesOfGroups(
  db: Kysely<Database>,
  projectId: string,
  groupIds: readonly number[],
  imageIds: readonly string[] | undefined,
): Promise<GroupImageRow[]> {
  if (groupIds.length === 0) return [];
  let query = db
    .selectFrom('imageFinding')
    .select(['groupId', 'imageId'])
    .where(sql<boolean>`group_id = any(${[...groupIds]}::int[])`);
  if (imageIds !== undefined) query = query.where('imageId', '=', anyOf(imageIds));
  const rows = await query.execute();
  const images = await imageSummaries(
    db,
    projectId,
    rows.map((row) => row.imageId),
  );
  return rows.flatMap((row) => {
    const image = images.get(row.imageId);
    return image ? [{ groupId: row.groupId, image }] : [];
  });
}

/** The touched groups with the images whose handling the filter keeps. */
async function touchedGroups(
  db: Kysely<Database>,
  query: RiskGroupQuery<RiskViewKind>,
  touched: Touched,
  handling: readonly HandlingState[],
  view: HandlingView,
): Promise<{ readonly order: GroupOrder; readonly images: ImageSummary[] }[]> {
  const filter = query.filter ?? {};
  let groups = matchingGroups(db, query.projectId, query.kind, filter).where('g.images', '>', 0);
  if (!touched.all) groups = groups.where(sql<boolean>`g.advisory_id = any(${touched.advisoryIds}::text[])`);
  const rows = await groups.select(['g.id', 'g.key', 'g.severityRank', 'g.finding']).execute();
  const byId = new Map(rows.map((row) => [row.id, { row, images: [] as ImageSummary[] }]));
  for (const { groupId, image } of await imagesOfGroups(
    db,
    query.projectId,
    [...byId.keys()],
    filter.imageIds,
  )) {
    const entry = byId.get(groupId);
    if (entry && handling.includes(handlingIn(query.kind, entry.row.finding, image, view)))
      entry.images.push(image);
  }
  return [...byId.values()]
    .filter((entry) => entry.images.length > 0)
    .map(({ row, images }) => ({
      order: { id: row.id, key: row.key, severityRank: row.severityRank, images: images.length },
      images,
    }));
}

/** One page of a risk view. */
export async function riskGroups<K extends RiskViewKind>(
  db: Kysely<Database>,
  query: RiskGroupQuery<K>,
): Promise<RiskGroupPage<K>> {
  const filter = query.filter ?? {};
  const view = await loadHandlingView(db, query.projectId, query.now);
  let page: GroupOrder[];
  let total: number;
  const chosen = new Map<number, ImageSummary[]>();
  const touched = touchedBy(query.kind, view);
  const touchesAny = touched.all || touched.advisoryIds.length > 0;
  if (filter.handling === undefined || !touchesAny) {
    // No filter, or nothing handling can touch: every finding is open in every image.
    const open =
      filter.handling === undefined || filter.handling.includes('open')
        ? await untouchedGroups(db, query, undefined, query.limit, query.offset)
        : { rows: [], total: 0 };
    page = open.rows;
    total = open.total;
  } else {
    const evaluated = await touchedGroups(db, query, touched, filter.handling, view);
    const untouched = filter.handling.includes('open')
      ? await untouchedGroups(db, query, touched, query.offset + query.limit, 0)
      : { rows: [], total: 0 };
    for (const group of evaluated) chosen.set(group.order.id, group.images);
    page = [...untouched.rows, ...evaluated.map((group) => group.order)]
      .sort(compareGroups)
      .slice(query.offset, query.offset + query.limit);
    total = untouched.total + evaluated.length;
  }
  const groups = await describeGroups(db, query, page, chosen, view);
  return { total, groups };
}

/** The findings and sample images of a page of groups. */
async function describeGroups<K extends RiskViewKind>(
  db: Kysely<Database>,
  query: RiskGroupQuery<K>,
  page: readonly GroupOrder[],
  chosen: ReadonlyMap<number, readonly ImageSummary[]>,
  view: HandlingView,
): Promise<RiskGroup<K>[]> {
  if (page.length === 0) return [];
  const ids = page.map((group) => group.id);
  const samples = query.samples ?? 1;
  const filter = query.filter ?? {};
  const details = await db
    .selectFrom('findingGroup')
    .select(['id', 'severity', 'finding'])
    .where(sql<boolean>`id = any(${ids}::int[])`)
    .execute();
  const detailOf = new Map(details.map((row) => [row.id, row]));
  const unchosen = ids.filter((id) => !chosen.has(id));
  const sampled = await sql<{ groupId: number; imageId: string }>`
    select g.id as group_id, f.image_id
    from unnest(${unchosen}::int[]) as g(id)
    cross join lateral (
      select image_id from image_finding
      where group_id = g.id ${filter.imageIds === undefined ? sql`` : sql`and image_id = ${anyOf(filter.imageIds)}`}
      order by image_id limit ${samples}
    ) f
  `.execute(db);
  const sampleIds = new Map<number, string[]>();
  for (const row of sampled.rows)
    sampleIds.set(row.groupId, [...(sampleIds.get(row.groupId) ?? []), row.imageId]);
  for (const [id, images] of chosen)
    sampleIds.set(
      id,
      images.slice(0, samples).map((image) => image.id),
    );
  const allSampled = [...new Set([...sampleIds.values()].flat())];
  const [summaries, platforms] = await Promise.all([
    imageSummaries(db, query.projectId, allSampled),
    platformsOf(db, ids, allSampled),
  ]);
  return page.map((group) => {
    const detail = detailOf.get(group.id);
    const finding = detail?.finding as StoredFindingOf[K];
    const images = (sampleIds.get(group.id) ?? []).flatMap((imageId) => {
      const image = summaries.get(imageId);
      if (!image) return [];
      return [
        {
          image,
          platforms: platforms.get(pairKey(group.id, imageId)) ?? [],
          handling: handlingIn(query.kind, finding, image, view),
        },
      ];
    });
    return {
      key: group.key,
      severity: detail?.severity ?? undefined,
      finding,
      imageCount: group.images,
      images,
    };
  });
}

type PlatformsByPair = ReadonlyMap<string, AffectedImage['platforms']>;

const pairKey = (groupId: number, imageId: string) => `${groupId}\u0000${imageId}`;

/**
 * The platforms whose indexed results hold each of `groupIds`, for `imageIds`, by group and
 * image. Matched in the database, so the results' group arrays are never sent over.
 */
async function platformsOf(
  db: Kysely<Database>,
  groupIds: readonly number[],
  imageIds: readonly string[],
): Promise<PlatformsByPair> {
  const byPair = new Map<string, { platform: string; resultId: string }[]>();
  if (imageIds.length === 0 || groupIds.length === 0) return byPair;
  const rows = await sql<{ groupId: number; imageId: string; platform: string; resultId: string }>`
    select g.id as group_id, r.image_id, r.platform, r.result_id
    from result_finding r cross join lateral unnest(r.group_ids) as g(id)
    where r.image_id = ${anyOf(imageIds)} and g.id = any(${[...groupIds]}::int[])
    order by r.platform
  `.execute(db);
  for (const row of rows.rows) {
    const key = pairKey(row.groupId, row.imageId);
    const list = byPair.get(key) ?? [];
    list.push({ platform: row.platform, resultId: row.resultId });
    byPair.set(key, list);
  }
  return byPair;
}

export interface AffectedImagesQuery {
  readonly projectId: string;
  readonly kind: RiskViewKind;
  readonly key: string;
  readonly handling?: readonly HandlingState[];
  readonly imageIds?: readonly string[];
  readonly offset: number;
  readonly limit: number;
  readonly now: Date;
}

/** Every live image holding one finding (`not_found` for a key the project has no images for), by name. */
export async function affectedImages(
  db: Kysely<Database>,
  query: AffectedImagesQuery,
): Promise<{ readonly total: number; readonly images: readonly AffectedImage[] }> {
  const group = await db
    .selectFrom('findingGroup')
    .select(['id', 'finding'])
    .where('projectId', '=', query.projectId)
    .where('kind', '=', query.kind)
    .where(sql<boolean>`key = ${query.key} collate "C"`)
    .where('images', '>', 0)
    .executeTakeFirst();
  if (!group)
    throw new ServiceError('not_found', `no image holds the ${query.kind} finding ${query.key}`, {
      what: 'finding',
      id: query.key,
    });
  const view = await loadHandlingView(db, query.projectId, query.now);
  const rows = await imagesOfGroups(db, query.projectId, [group.id], query.imageIds);
  const handled = rows
    .map((row) => ({ image: row.image, handling: handlingIn(query.kind, group.finding, row.image, view) }))
    .filter((row) => query.handling === undefined || query.handling.includes(row.handling))
    .sort(
      (a, b) =>
        a.image.repository.localeCompare(b.image.repository) ||
        a.image.tag.localeCompare(b.image.tag) ||
        a.image.connectionName.localeCompare(b.image.connectionName) ||
        a.image.id.localeCompare(b.image.id),
    );
  const page = handled.slice(query.offset, query.offset + query.limit);
  const platforms = await platformsOf(
    db,
    [group.id],
    page.map((row) => row.image.id),
  );
  return {
    total: handled.length,
    images: page.map((row) => ({
      ...row,
      platforms: platforms.get(pairKey(group.id, row.image.id)) ?? [],
    })),
  };
}
