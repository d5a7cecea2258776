import type { QueryParams } from '../api/api-client.ts';
import {
  imageScanStatuses,
  imageSortKeys,
  registryTypes,
  type ImageFilter,
  type ImageSortKey,
  type SortOrder,
} from '../api/image-types.ts';
import type { ScanScope } from '../api/task-types.ts';

/**
 * The image list's state lives in the page address (`?status=failed&sort=riskLevel&order=desc&page=2`),
 * so a filtered list can be bookmarked, shared and reached from the overview's counts. These
 * functions read it, write it, and turn it into the API's list query and a scan scope.
 */
export interface ImageListState {
  readonly filter: ImageFilter;
  readonly sort: ImageSortKey | undefined;
  readonly order: SortOrder;
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

export const imagePageSizes = [10, 20, 50, 100] as const;
const defaultPageSize = 20;

function listOf<T extends string>(value: string | null, allowed: readonly T[]): readonly T[] | undefined {
  if (value === null || value === '') return undefined;
  const items = value.split(',').filter((item): item is T => (allowed as readonly string[]).includes(item));
  return items.length === 0 ? undefined : items;
}

function textOf(value: string | null): string | undefined {
  return value === null || value.trim() === '' ? undefined : value;
}

function positive(value: string | null, fallback: number): number {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : fallback;
}

export function readImageListState(search: URLSearchParams): ImageListState {
  const filter: { -readonly [K in keyof ImageFilter]: ImageFilter[K] } = {};
  filter.name = textOf(search.get('name'));
  filter.namespace = textOf(search.get('namespace'));
  filter.tag = textOf(search.get('tag'));
  filter.status = listOf(search.get('status'), imageScanStatuses);
  filter.registryId = textOf(search.get('registryId'))
    ?.split(',')
    .filter((id) => id !== '');
  filter.registryType = listOf(search.get('registryType'), registryTypes);
  filter.updatedAfter = textOf(search.get('updatedAfter'));
  filter.updatedBefore = textOf(search.get('updatedBefore'));
  const sort = search.get('sort');
  const pageSize = positive(search.get('size'), defaultPageSize);
  return {
    filter,
    sort: imageSortKeys.find((key) => key === sort),
    order: search.get('order') === 'desc' ? 'desc' : 'asc',
    page: positive(search.get('page'), 1),
    pageSize: (imagePageSizes as readonly number[]).includes(pageSize) ? pageSize : defaultPageSize,
  };
}

export function writeImageListState(state: ImageListState): URLSearchParams {
  const search = new URLSearchParams();
  const { filter } = state;
  const entries: readonly (readonly [string, string | readonly string[] | undefined])[] = [
    ['name', filter.name],
    ['namespace', filter.namespace],
    ['tag', filter.tag],
    ['status', filter.status],
    ['registryId', filter.registryId],
    ['registryType', filter.registryType],
    ['updatedAfter', filter.updatedAfter],
    ['updatedBefore', filter.updatedBefore],
    ['sort', state.sort],
    ['order', state.sort === undefined ? undefined : state.order],
    ['page', state.page === 1 ? undefined : String(state.page)],
    ['size', state.pageSize === defaultPageSize ? undefined : String(state.pageSize)],
  ];
  for (const [key, value] of entries) {
    if (value === undefined || value.length === 0) continue;
    search.set(key, typeof value === 'string' ? value : value.join(','));
  }
  return search;
}

/** The `GET images` query of a state. */
export function imageListQuery(state: ImageListState): QueryParams {
  return {
    ...state.filter,
    ...(state.sort === undefined ? {} : { sort: state.sort, order: state.order }),
    offset: (state.page - 1) * state.pageSize,
    limit: state.pageSize,
  };
}

export function hasFilter(filter: ImageFilter): boolean {
  return Object.values(filter).some((value) => value !== undefined && value.length > 0);
}

/** The list's filter as a scan scope (`kind: 'filter'`), whose fields the scan API names differently. */
export function filterScope(filter: ImageFilter): ScanScope {
  const { registryId, registryType, ...rest } = filter;
  return {
    kind: 'filter',
    filter: {
      ...rest,
      ...(registryId ? { connectionIds: registryId } : {}),
      ...(registryType ? { registryTypes: registryType } : {}),
    },
  };
}
