import { sql, type Kysely, type RawBuilder } from 'kysely';
import { ServiceError, notFound } from '../service-error.ts';
import {
  imageScanStatuses,
  type Database,
  type ImageScanStatus,
  type PlatformEntry,
  type RegistryType,
  type RiskCounts,
  type RiskLevel,
} from '../store/schema.ts';
import { applyImageFilter, type ImageFilter } from '../tasks/scan-scope.ts';

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

export interface ImagePage {
  readonly total: number;
  readonly images: readonly RepositoryImage[];
}

/**
 * The columns the list can be sorted by. `name` is repository then tag, `registry` the
 * connection's name, `riskLevel` by severity (critical highest), `scanStatus` in the order of
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
  /** Absent: by registry, repository and tag. */
  readonly sort?: ImageSortKey;
  /** Default `asc`. */
  readonly order?: SortOrder;
}

/** Risk levels from the least to the most severe: the rank is the position. */
const riskLevelsBySeverity: readonly RiskLevel[] = ['none', 'unknown', 'low', 'medium', 'high', 'critical'];

/**
 * `CASE column WHEN value THEN rank ... END` over values from code, never from the request; an
 * unlisted value (a null risk level of an image never scanned) ranks null and sorts last.
 */
function rankOf(column: RawBuilder<unknown>, values: readonly string[]): RawBuilder<number> {
  const whens = values.map((value, rank) => sql`when ${value} then ${sql.lit(rank)}`);
  return sql<number>`case ${column} ${sql.join(whens, sql` `)} end`;
}

type SortTerm =
  | 'repositoryImage.repository'
  | 'repositoryImage.tag'
  | 'repositoryImage.namespace'
  | 'registryConnection.name'
  | 'repositoryImage.size'
  | 'repositoryImage.pushedAt'
  | 'repositoryImage.lastScanAt'
  | RawBuilder<number>;

/** The only terms a sort can reach: request values select an entry here and are never part of the SQL. */
const sortTerms: Readonly<Record<ImageSortKey, readonly SortTerm[]>> = {
  name: ['repositoryImage.repository', 'repositoryImage.tag'],
  namespace: ['repositoryImage.namespace'],
  tag: ['repositoryImage.tag'],
  registry: ['registryConnection.name'],
  size: ['repositoryImage.size'],
  pushedAt: ['repositoryImage.pushedAt'],
  lastScanAt: ['repositoryImage.lastScanAt'],
  riskLevel: [rankOf(sql.ref('repositoryImage.riskLevel'), riskLevelsBySeverity)],
  scanStatus: [rankOf(sql.ref('repositoryImage.scanStatus'), imageScanStatuses)],
};

const defaultSortTerms: readonly SortTerm[] = [
  'registryConnection.name',
  'repositoryImage.repository',
  'repositoryImage.tag',
];

function isSortKey(value: string): value is ImageSortKey {
  return Object.hasOwn(sortTerms, value);
}

function isSortOrder(value: string): value is SortOrder {
  return (sortOrders as readonly string[]).includes(value);
}

/** Checks the sort at run time too: the command line and library callers do not pass the API's schema. */
function sortOf(page: ImageListPage): { readonly terms: readonly SortTerm[]; readonly order: SortOrder } {
  const order = page.order ?? 'asc';
  if (!isSortOrder(order))
    throw new ServiceError('invalid_request', `unknown sort order ${String(order)}`, { field: 'order' });
  if (page.sort === undefined) return { terms: defaultSortTerms, order };
  if (!isSortKey(page.sort))
    throw new ServiceError('invalid_request', `unknown sort column ${String(page.sort)}`, {
      field: 'sort',
      allowed: imageSortKeys,
    });
  return { terms: sortTerms[page.sort], order };
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

/**
 * The repository image list: live images of a project, filtered, sorted and paged. Images without
 * a value in the sort column (never pushed, never scanned) come last in either order; equal values
 * are ordered by id, so pages never repeat or skip an image.
 */
export async function listImages(
  db: Kysely<Database>,
  projectId: string,
  filter: ImageFilter = {},
  page: ImageListPage = {},
): Promise<ImagePage> {
  const { terms, order } = sortOf(page);
  const base = applyImageFilter(
    imageRows(db, projectId).where('repositoryImage.deletedAt', 'is', null),
    filter,
  );
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let query = base.select(rowColumns);
  for (const term of terms)
    query = query.orderBy(term, (item) => (order === 'asc' ? item.asc() : item.desc()).nullsLast());
  const images = await query
    .orderBy('repositoryImage.id', order)
    .offset(page.offset ?? 0)
    .limit(Math.min(page.limit ?? 100, 1000))
    .execute();
  return { total: Number(total.n), images };
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
