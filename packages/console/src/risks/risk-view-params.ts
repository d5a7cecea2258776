import type { QueryParams } from '../api/api-client.ts';
import {
  handlingStates,
  severityLevels,
  type HandlingState,
  type SeverityLevel,
} from '../api/handling-types.ts';
import { riskViewKinds, type RiskViewKind } from '../api/risk-types.ts';
import { riskKindInfo } from './risk-kinds.ts';

/**
 * The risk views' state lives in the page address (`?kind=secret&severity=high&handling=open&search=env&page=2`),
 * so a view can be bookmarked and shared. Filters the kind does not take are dropped on reading,
 * so a hand-edited address cannot send the API a filter the tab does not show.
 */
export interface RiskViewState {
  readonly kind: RiskViewKind;
  readonly filter: RiskViewFilter;
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

export interface RiskViewFilter {
  readonly severity?: readonly SeverityLevel[];
  readonly handling?: readonly HandlingState[];
  /** A substring of the finding key (at most 200 characters, as the API takes). */
  readonly search?: string;
}

export const riskPageSizes = [10, 20, 50] as const;
const defaultPageSize = 20;
export const maxSearchLength = 200;

function listOf<T extends string>(value: string | null, allowed: readonly T[]): readonly T[] | undefined {
  if (value === null || value === '') return undefined;
  const items = value.split(',').filter((item): item is T => (allowed as readonly string[]).includes(item));
  return items.length === 0 ? undefined : items;
}

function positive(value: string | null, fallback: number): number {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : fallback;
}

export function readRiskViewState(search: URLSearchParams): RiskViewState {
  const requested = search.get('kind');
  const kind = riskViewKinds.find((candidate) => candidate === requested) ?? 'vulnerability';
  const info = riskKindInfo[kind];
  const text = search.get('search')?.trim().slice(0, maxSearchLength);
  const severity = listOf(search.get('severity'), severityLevels)?.filter((level) =>
    info.severities.includes(level),
  );
  const handling = listOf(search.get('handling'), handlingStates)?.filter((state) =>
    info.handling.includes(state),
  );
  const pageSize = positive(search.get('size'), defaultPageSize);
  return {
    kind,
    filter: {
      ...(severity && severity.length > 0 ? { severity } : {}),
      ...(handling && handling.length > 0 ? { handling } : {}),
      ...(text ? { search: text } : {}),
    },
    page: positive(search.get('page'), 1),
    pageSize: (riskPageSizes as readonly number[]).includes(pageSize) ? pageSize : defaultPageSize,
  };
}

export function writeRiskViewState(state: RiskViewState): URLSearchParams {
  const search = new URLSearchParams();
  const entries: readonly (readonly [string, string | readonly string[] | undefined])[] = [
    ['kind', state.kind],
    ['severity', state.filter.severity],
    ['handling', state.filter.handling],
    ['search', state.filter.search],
    ['page', state.page === 1 ? undefined : String(state.page)],
    ['size', state.pageSize === defaultPageSize ? undefined : String(state.pageSize)],
  ];
  for (const [key, value] of entries) {
    if (value === undefined || value.length === 0) continue;
    search.set(key, typeof value === 'string' ? value : value.join(','));
  }
  return search;
}

export function hasRiskFilter(filter: RiskViewFilter): boolean {
  return Object.values(filter).some((value) => value !== undefined && value.length > 0);
}

/** The filter part of the `GET risks/{kind}` query (the affected-image list takes `handling` too). */
export function riskFilterQuery(filter: RiskViewFilter): QueryParams {
  return {
    ...(filter.severity ? { severity: filter.severity } : {}),
    ...(filter.handling ? { handling: filter.handling } : {}),
    ...(filter.search ? { search: filter.search } : {}),
  };
}

/** Affected images each row names (the API lists one unless asked; the row expands to all). */
export const firstImagesPerRow = 3;

/** The `GET risks/{kind}` query of a state. */
export function riskViewQuery(state: RiskViewState): QueryParams {
  return {
    ...riskFilterQuery(state.filter),
    samples: firstImagesPerRow,
    offset: (state.page - 1) * state.pageSize,
    limit: state.pageSize,
  };
}
