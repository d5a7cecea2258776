import { sql, type Kysely, type QueryCreator, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { ServiceError, notFound } from '../service-error.ts';
import {
  imageScanStatuses,
  type Database,
  type ImageScanStatus,
  type PlatformEntry,
  type RegistryType,
  type RepositoryImageTable,
  type RiskCounts,
  type RiskLevel,
} from '../store/schema.ts';
import { anyOf } from '../store/any-of.ts';
import { applyImageFilter, resolveRegistryTypes, type ImageFilter } from '../tasks/scan-scope.ts';

export interface RepositoryImage {
  readonly id: string;
  readonly connectionId: string;
  readonly connectionName: string;
  readonly registryType: RegistryType;
  readonly namespace: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  readonly platforms: readonly PlatformEntry[];
  readonly pushedAt: Date | null;
  readonly syncedAt: Date;
  /** When a sync stopped finding the tag; always null in the list, which holds live images only. */
  readonly deletedAt: Date | null;
  readonly scanStatus: ImageScanStatus;
  readonly failureCode: string | null;
  readonly failureMessage: string | null;
  readonly lastScanAt: Date | null;
  readonly riskCounts: RiskCounts | null;
  readonly riskLevel: RiskLevel | null;
}

/**
 * Up to this many matches the list counts exactly. Past it, counting every match on every request
 * is most of the list's cost (about 12 ms of PostgreSQL per request at 100,000 images), so the count
 * stops here and `total` becomes a lower bound unless the caller asks for `exactTotal`.
 */
export const exactCountLimit = 10_000;

export interface ImagePage {
  /**
   * The number of images that match: exact when `totalIsLowerBound` is false (always when at most
   * `exactCountLimit` match, or on the page that holds the last match); otherwise at least this
   * many: `exactCountLimit`, or the images up to the end of this page and one more when another
   * page follows, whichever is larger.
   */
  readonly total: number;
  readonly totalIsLowerBound: boolean;
  readonly images: readonly RepositoryImage[];
  /** In the `name` order, when another page follows: pass it as `after` to read that page. */
  readonly nextCursor?: string;
}

/**
 * The columns the list can be sorted by. `name` (the default) is repository, tag, then connection
 * id for the same name in several registries; `registry` the connection's name, `riskLevel` by severity (critical highest), `scanStatus` in the order of
 * `imageScanStatuses` (the image's life: not scanned, queued, scanning, then the outcomes).
 */
export const imageSortKeys = [
  'name',
  'namespace',
  'tag',
  'registry',
  'size',
  'pushedAt',
  'lastScanAt',
  'riskLevel',
  'scanStatus',
] as const;
export type ImageSortKey = (typeof imageSortKeys)[number];

export const sortOrders = ['asc', 'desc'] as const;
export type SortOrder = (typeof sortOrders)[number];

export interface ImageListPage {
  readonly offset?: number;
  /** At most 1000 (default 100). */
  readonly limit?: number;
  /** Absent: by name (repository, tag), the same name in several registries by connection id. */
  readonly sort?: ImageSortKey;
  /** Default `asc`. */
  readonly order?: SortOrder;
  /**
   * Count every match however many there are, for callers that show the count itself (images
   * per status); it costs a pass over every match. Default: exact up to `exactCountLimit`.
   */
  readonly exactTotal?: boolean;
  /**
   * Continue after the page that gave this cursor (`nextCursor`): the `name` order only, with
   * offset 0. A deep page then costs what the first does, where an offset walks every image
   * before it.
   */
  readonly after?: string;
}

/** Risk levels from the least to the most severe: the rank is the position. */
const riskLevelsBySeverity: readonly RiskLevel[] = ['none', 'unknown', 'low', 'medium', 'high', 'critical'];

/** The image columns a sort reads; the list's statements select them before sorting. */
type SortColumn = keyof Pick<
  RepositoryImageTable,
  | 'repository'
  | 'tag'
  | 'namespace'
  | 'connectionId'
  | 'size'
  | 'pushedAt'
  | 'lastScanAt'
  | 'riskLevel'
  | 'scanStatus'
>;

/**
 * One term of a sort: a column, or its rank in a list of values (`registry` ranks connection ids
 * by the connection names of the project, read at run time). `nullable` terms put empty values
 * last in either order; the others are sorted plainly, so that a descending sort can read the
 * name index backwards.
 */
interface SortTerm {
  readonly column: SortColumn;
  readonly rank?: readonly string[] | 'connectionName';
  readonly nullable: boolean;
}

/** The only terms a sort can reach: request values select an entry here and are never part of the SQL. */
const sortTerms: Readonly<Record<ImageSortKey, readonly SortTerm[]>> = {
  // The order of the index `repository_image_live_order` (migration 0005).
  name: [
    { column: 'repository', nullable: false },
    { column: 'tag', nullable: false },
    { column: 'connectionId', nullable: false },
  ],
  namespace: [{ column: 'namespace', nullable: false }],
  tag: [{ column: 'tag', nullable: false }],
  registry: [{ column: 'connectionId', rank: 'connectionName', nullable: false }],
  size: [{ column: 'size', nullable: false }],
  pushedAt: [{ column: 'pushedAt', nullable: true }],
  lastScanAt: [{ column: 'lastScanAt', nullable: true }],
  // A risk level outside the list (null: never scanned) ranks null.
  riskLevel: [{ column: 'riskLevel', rank: riskLevelsBySeverity, nullable: true }],
  scanStatus: [{ column: 'scanStatus', rank: imageScanStatuses, nullable: false }],
};

function isSortKey(value: string): value is ImageSortKey {
  return Object.hasOwn(sortTerms, value);
}

function isSortOrder(value: string): value is SortOrder {
  return (sortOrders as readonly string[]).includes(value);
}

interface Sort {
  readonly terms: readonly SortTerm[];
  readonly order: SortOrder;
}

/** Checks the sort at run time too: the command line and library callers do not pass the API's schema. */
function sortOf(page: ImageListPage): Sort {
  const order = page.order ?? 'asc';
  if (!isSortOrder(order))
    throw new ServiceError('invalid_request', `unknown sort order ${String(order)}`, { field: 'order' });
  const key = page.sort ?? 'name';
  if (!isSortKey(key))
    throw new ServiceError('invalid_request', `unknown sort column ${String(key)}`, {
      field: 'sort',
      allowed: imageSortKeys,
    });
  return { terms: sortTerms[key], order };
}

/**
 * `CASE column WHEN value THEN rank ... END` over values from code or from the database, passed as
 * parameters; an unlisted value ranks null.
 */
function rankOf(column: RawBuilder<unknown>, values: readonly string[]): RawBuilder<number> {
  const whens = values.map((value, rank) => sql`when ${value} then ${sql.lit(rank)}`);
  return sql<number>`case ${column} ${sql.join(whens, sql` `)} end`;
}

/** The project's connection ids ordered by connection name, for the `registry` sort. */
async function connectionsByName(db: Kysely<Database>, projectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('registryConnection')
    .select('registryConnection.id')
    .where('registryConnection.projectId', '=', projectId)
    .orderBy('registryConnection.name')
    .orderBy('registryConnection.id')
    .execute();
  return rows.map((row) => row.id);
}

/** Orders an id query of `repository_image` (the table or the list's `matches`) by the sort, then by id. */
function ordered<Q extends SelectQueryBuilder<Database, 'repositoryImage', { id: string }>>(
  query: Q,
  sort: Sort,
  connectionOrder: readonly string[],
): Q {
  let sorted: SelectQueryBuilder<Database, 'repositoryImage', { id: string }> = query;
  for (const term of sort.terms) {
    const column = sql.ref(`repositoryImage.${term.column}`);
    const ranks = term.rank === 'connectionName' ? connectionOrder : term.rank;
    const value = ranks ? rankOf(column, ranks) : column;
    sorted = sorted.orderBy(value, (item) => {
      const direction = sort.order === 'asc' ? item.asc() : item.desc();
      return term.nullable ? direction.nullsLast() : direction;
    });
  }
  return sorted.orderBy('repositoryImage.id', sort.order) as Q;
}

/** The live images of a project narrowed by a filter, from `repository_image`. */
function liveImages(db: QueryCreator<Database>, projectId: string, filter: ImageFilter) {
  return applyImageFilter(
    db
      .selectFrom('repositoryImage')
      .where('repositoryImage.projectId', '=', projectId)
      .where('repositoryImage.deletedAt', 'is', null),
    filter,
  );
}

/** What the first statement found: how many match (capped or not) and the page's ids, one more than asked. */
interface Found {
  readonly matches: number | undefined;
  readonly ids: readonly string[] | undefined;
}

interface Window {
  readonly projectId: string;
  readonly filter: ImageFilter;
  readonly sort: Sort;
  readonly connectionOrder: readonly string[];
  readonly offset: number;
  /** The page size plus one: whether another page follows. */
  readonly take: number;
  /** Count at most this many and one more; undefined: count all. */
  readonly countLimit: number | undefined;
  /** Only images after (before, descending) this position in the `name` order. */
  readonly after: NamePosition | undefined;
}

/** An image's place in the `name` order: repository, tag, connection id, id. */
type NamePosition = readonly [string, string, string, string];

function isNamePosition(value: unknown): value is NamePosition {
  return Array.isArray(value) && value.length === 4 && value.every((part) => typeof part === 'string');
}

/** The opaque cursor of a position (base64url JSON: nothing to read into, nothing to trust). */
function cursorOf(image: Pick<RepositoryImage, 'repository' | 'tag' | 'connectionId' | 'id'>): string {
  const position: NamePosition = [image.repository, image.tag, image.connectionId, image.id];
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function positionOf(cursor: string): NamePosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!isNamePosition(value))
    throw new ServiceError('invalid_request', 'the cursor is not one this list gave', { field: 'after' });
  return value;
}

/** Keeps the rows past `after` in the sort's direction (a row comparison the name index serves). */
function pastCursor<Q extends SelectQueryBuilder<Database, 'repositoryImage', { id: string }>>(
  query: Q,
  window: Window,
): Q {
  if (!window.after) return query;
  const [repository, tag, connectionId, id] = window.after;
  const past = window.sort.order === 'asc' ? sql.raw('>') : sql.raw('<');
  return query.where(
    sql<boolean>`(repository_image.repository, repository_image.tag, repository_image.connection_id, repository_image.id) ${past} (${repository}, ${tag}, ${connectionId}, ${id})`,
  ) as Q;
}

/**
 * For a filtered list: the matches, up to the count limit and one more, gathered once into a
 * materialized `repository_image` that shadows the table; the count and the sorted page both read
 * it. This takes each filter's own index (name trigrams, status, namespace) and sorts the few
 * matches, where the planner would otherwise walk the name index hoping to meet matches early,
 * which takes the whole index when they are not spread evenly (status and registry: 80 ms). When
 * more match than the limit, no page is sorted (`ids` undefined) and the caller pages from the
 * table, where matches are dense.
 */
async function fromMatches(db: Kysely<Database>, window: Window): Promise<Found> {
  const columns = [...new Set(['id', ...window.sort.terms.map((term) => term.column)] as const)].map(
    (column) => `repositoryImage.${column}` as const,
  );
  const row = await db
    .with(
      (cte) => cte('repositoryImage').materialized(),
      (creator) => {
        const matches = liveImages(creator, window.projectId, window.filter).select(columns);
        return window.countLimit === undefined ? matches : matches.limit(window.countLimit + 1);
      },
    )
    .selectNoFrom((eb) => {
      const count = eb.selectFrom('repositoryImage').select(eb.fn.countAll<number>().as('n'));
      let page = eb.selectFrom('repositoryImage').select('repositoryImage.id');
      // A one-time filter: the sort does not run when the matches were cut at the limit.
      if (window.countLimit !== undefined) page = page.where(count, '<=', window.countLimit);
      page = ordered(pastCursor(page, window), window.sort, window.connectionOrder)
        .offset(window.offset)
        .limit(window.take);
      return [count.as('matches'), sql<string[]>`array(${page})`.as('ids')];
    })
    .executeTakeFirstOrThrow();
  const matches = Number(row.matches);
  const cut = window.countLimit !== undefined && matches > window.countLimit;
  return { matches, ids: cut ? undefined : row.ids };
}

/**
 * The page read from the table in the sort's order (for the default order, straight from the name
 * index), with the count when `counted`: capped by a `limit` under the count, or exact.
 */
async function fromTable(db: Kysely<Database>, window: Window, counted: boolean): Promise<Found> {
  const row = await db
    .selectNoFrom((eb) => {
      const live = liveImages(db, window.projectId, window.filter);
      const page = ordered(
        pastCursor(live.select('repositoryImage.id'), window),
        window.sort,
        window.connectionOrder,
      )
        .offset(window.offset)
        .limit(window.take);
      const count =
        window.countLimit === undefined
          ? live.select(eb.fn.countAll<number>().as('n'))
          : eb
              .selectFrom(
                live
                  .select(sql.lit(1).as('one'))
                  .limit(window.countLimit + 1)
                  .as('matches'),
              )
              .select(eb.fn.countAll<number>().as('n'));
      return [(counted ? count : sql<null>`null`).as('matches'), sql<string[]>`array(${page})`.as('ids')];
    })
    .executeTakeFirstOrThrow();
  return { matches: row.matches === null ? undefined : Number(row.matches), ids: row.ids };
}

/** Whether a filter narrows the list at all (an empty list of values does not). */
function narrows(filter: ImageFilter): boolean {
  return Boolean(
    filter.name ||
    filter.namespace !== undefined ||
    filter.tag !== undefined ||
    filter.status?.length ||
    filter.connectionIds?.length ||
    filter.registryTypes?.length ||
    filter.updatedAfter ||
    filter.updatedBefore,
  );
}

function imageRows(db: Kysely<Database>, projectId: string) {
  return db
    .selectFrom('repositoryImage')
    .innerJoin('registryConnection', 'registryConnection.id', 'repositoryImage.connectionId')
    .where('repositoryImage.projectId', '=', projectId);
}

const rowColumns = [
  'repositoryImage.id',
  'repositoryImage.connectionId',
  'registryConnection.name as connectionName',
  'registryConnection.type as registryType',
  'repositoryImage.namespace',
  'repositoryImage.repository',
  'repositoryImage.tag',
  'repositoryImage.digest',
  'repositoryImage.mediaType',
  'repositoryImage.size',
  'repositoryImage.platforms',
  'repositoryImage.pushedAt',
  'repositoryImage.syncedAt',
  'repositoryImage.deletedAt',
  'repositoryImage.scanStatus',
  'repositoryImage.failureCode',
  'repositoryImage.failureMessage',
  'repositoryImage.lastScanAt',
  'repositoryImage.riskCounts',
  'repositoryImage.riskLevel',
] as const;

/** The list rows of `ids`, in that order (one deleted since is left out). */
async function rowsOf(db: Kysely<Database>, projectId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const rows = await imageRows(db, projectId)
    .where('repositoryImage.id', '=', anyOf(ids))
    .select(rowColumns)
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * The repository image list: live images of a project, filtered, sorted and paged. Images without
 * a value in the sort column (never pushed, never scanned) come last in either order; equal values
 * are ordered by id, so pages never repeat or skip an image.
 *
 * How it stays fast at 100,000 images (bench/RESULTS.md): registry types become connection ids
 * first, so nothing joins `registry_connection` but the final rows; the count stops at
 * `exactCountLimit`; a filtered list is gathered once through its filter's index and sorted
 * (`fromMatches`), an unfiltered one, or one with many matches, read in order from the table
 * (`fromTable`); both select ids only, and the page's rows are read by id (a deferred join, so a
 * deep page walks an index, not the rows).
 */
export async function listImages(
  db: Kysely<Database>,
  projectId: string,
  filter: ImageFilter = {},
  page: ImageListPage = {},
): Promise<ImagePage> {
  const sort = sortOf(page);
  const offset = page.offset ?? 0;
  if (page.after !== undefined && (page.sort ?? 'name') !== 'name')
    throw new ServiceError('invalid_request', 'a cursor continues the name order only', { field: 'after' });
  if (page.after !== undefined && offset !== 0)
    throw new ServiceError('invalid_request', 'a cursor replaces the offset', { field: 'offset' });
  const after = page.after === undefined ? undefined : positionOf(page.after);
  const limit = Math.min(page.limit ?? 100, 1000);
  const resolved = await resolveRegistryTypes(db, projectId, filter);
  if (!resolved) return { total: 0, totalIsLowerBound: false, images: [] };
  const connectionOrder = sort.terms.some((term) => term.rank === 'connectionName')
    ? await connectionsByName(db, projectId)
    : [];
  const window: Window = {
    projectId,
    filter: resolved,
    sort,
    connectionOrder,
    offset,
    take: limit + 1,
    countLimit: page.exactTotal ? undefined : exactCountLimit,
    after,
  };
  const first = narrows(resolved) ? await fromMatches(db, window) : await fromTable(db, window, true);
  const ids = first.ids ?? (await fromTable(db, window, false)).ids ?? [];
  const more = ids.length > limit;
  const shown = more ? ids.slice(0, limit) : ids;
  const images = await rowsOf(db, projectId, shown);
  const last = images.at(-1);
  const next = more && last && (page.sort ?? 'name') === 'name' ? { nextCursor: cursorOf(last) } : {};
  const matches = first.matches ?? 0;
  if (window.countLimit === undefined || matches <= window.countLimit)
    return { total: matches, totalIsLowerBound: false, images, ...next };
  // The count stopped, but a page that holds the last match still knows where the list ends
  // (not after a cursor: how many came before it is unknown).
  if (!more && shown.length > 0 && !after)
    return { total: offset + shown.length, totalIsLowerBound: false, images };
  // Past the last match (an empty page) the offset proves nothing: the count is all there is.
  const end = more ? offset + shown.length + 1 : 0;
  return { total: Math.max(window.countLimit, end), totalIsLowerBound: true, images, ...next };
}

/**
 * One image as the list shows it, without its results; deleted images too (their results stay in
 * the history). `not_found` for an unknown id or another project's image.
 */
export async function getImage(
  db: Kysely<Database>,
  projectId: string,
  imageId: string,
): Promise<RepositoryImage> {
  const image = await imageRows(db, projectId)
    .where('repositoryImage.id', '=', imageId)
    .select(rowColumns)
    .executeTakeFirst();
  if (!image) throw notFound('image', imageId);
  return image;
}
