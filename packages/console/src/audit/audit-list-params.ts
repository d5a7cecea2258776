import { apiPrefix, queryString, type QueryParams } from '../api/api-client.ts';
import type { AuditExportFormat, AuditFilter } from '../api/audit-types.ts';

/**
 * The audit log's state lives in the page address (`?action=role.create&page=2`), so a filtered
 * log can be bookmarked and shared. These functions read it, write it, and turn it into the API's
 * list query and export address.
 */

/** Which log: the project's events, or the whole service's (service administrators). */
export type AuditScopeChoice = 'project' | 'service';

export interface AuditListState {
  readonly scope: AuditScopeChoice;
  readonly filter: AuditFilter;
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

export const auditPageSizes = [20, 50, 100, 200] as const;
const defaultPageSize = 50;

const filterFields = [
  'userName',
  'action',
  'objectType',
  'objectId',
  'from',
  'to',
] as const satisfies readonly (keyof AuditFilter)[];

/** The address names each filter as the API does, but the actor (`user` reads better in a link). */
const paramOf: Readonly<Record<(typeof filterFields)[number], string>> = {
  userName: 'user',
  action: 'action',
  objectType: 'objectType',
  objectId: 'objectId',
  from: 'from',
  to: 'to',
};

function textOf(value: string | null): string | undefined {
  return value === null || value.trim() === '' ? undefined : value.trim();
}

function positive(value: string | null, fallback: number): number {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : fallback;
}

export function readAuditListState(search: URLSearchParams): AuditListState {
  const filter: { -readonly [K in keyof AuditFilter]: AuditFilter[K] } = {};
  for (const field of filterFields) filter[field] = textOf(search.get(paramOf[field]));
  return {
    scope: search.get('scope') === 'service' ? 'service' : 'project',
    filter,
    page: positive(search.get('page'), 1),
    pageSize: positive(search.get('size'), defaultPageSize),
  };
}

export function writeAuditListState(state: AuditListState): URLSearchParams {
  const search = new URLSearchParams();
  if (state.scope === 'service') search.set('scope', 'service');
  for (const field of filterFields) {
    const value = state.filter[field];
    if (value !== undefined) search.set(paramOf[field], value);
  }
  if (state.page > 1) search.set('page', String(state.page));
  if (state.pageSize !== defaultPageSize) search.set('size', String(state.pageSize));
  return search;
}

export function hasAuditFilter(filter: AuditFilter): boolean {
  return Object.values(filter).some((value) => value !== undefined);
}

/** The filter as query parameters (absent ones left out). */
function filterQuery(filter: AuditFilter): QueryParams {
  return { ...filter };
}

/** `GET audit-events`: the filter and the page. */
export function auditListQuery(state: AuditListState): QueryParams {
  return {
    ...filterQuery(state.filter),
    limit: state.pageSize,
    offset: (state.page - 1) * state.pageSize,
  };
}

/**
 * The address of the log as a file, with the list's filters: a plain link, so the browser
 * downloads it with the session cookie (a GET needs no CSRF token).
 */
export function auditExportHref(projectId: string, state: AuditListState, format: AuditExportFormat): string {
  const path =
    state.scope === 'service'
      ? '/audit-events/export'
      : `/projects/${encodeURIComponent(projectId)}/audit-events/export`;
  return `${apiPrefix}${path}${queryString({ ...filterQuery(state.filter), format })}`;
}
