import type { ScanTaskListQuery, SyncTaskListQuery } from '../api/task-manager-types.ts';
import {
  scanTaskStatuses,
  scanTaskTypes,
  syncStatuses,
  syncTriggers,
  type ScanTaskStatus,
  type ScanTaskType,
  type SyncStatus,
  type SyncTrigger,
} from '../api/task-types.ts';
import { defaultTaskPageSize, taskPageSizes } from './keyset-paging.ts';

/**
 * The task manager's state lives in the page address, so a filtered list or an open task can be
 * bookmarked and linked to: the images page opens a new task with `?scanTask=<id>`. The scan tab's
 * filters are `type`, `status`, `name`, `from`, `to`; the sync tab's are `trigger`, `syncStatus`,
 * `syncFrom`, `syncTo` (both tabs keep theirs while the other shows).
 */

export const taskTabs = ['scan', 'sync'] as const;
export type TaskTab = (typeof taskTabs)[number];

export interface ScanTaskFilter {
  readonly type?: ScanTaskType | undefined;
  readonly status?: readonly ScanTaskStatus[] | undefined;
  readonly name?: string | undefined;
  /** Created at or after (RFC 3339). */
  readonly from?: string | undefined;
  /** Created before (RFC 3339). */
  readonly to?: string | undefined;
}

export interface SyncTaskFilter {
  readonly trigger?: SyncTrigger | undefined;
  readonly status?: readonly SyncStatus[] | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

export interface TaskManagerState {
  readonly tab: TaskTab;
  /** The scan task whose detail is open. */
  readonly scanTaskId: string | undefined;
  readonly scanFilter: ScanTaskFilter;
  readonly syncFilter: SyncTaskFilter;
  readonly pageSize: number;
}

function textOf(value: string | null): string | undefined {
  return value === null || value.trim() === '' ? undefined : value;
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((item) => item === value);
}

function listOf<T extends string>(value: string | null, allowed: readonly T[]): readonly T[] | undefined {
  if (value === null) return undefined;
  const items = value.split(',').filter((item): item is T => (allowed as readonly string[]).includes(item));
  return items.length === 0 ? undefined : items;
}

/** An instant the API will take (RFC 3339 with an offset), else nothing. */
function instantOf(value: string | null): string | undefined {
  if (value === null || !/^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/.test(value)) return undefined;
  return Number.isNaN(Date.parse(value)) ? undefined : value;
}

export function readTaskManagerState(search: URLSearchParams): TaskManagerState {
  const size = Number(search.get('size'));
  return {
    tab: oneOf(search.get('tab'), taskTabs) ?? 'scan',
    scanTaskId: textOf(search.get('scanTask')),
    scanFilter: {
      type: oneOf(search.get('type'), scanTaskTypes),
      status: listOf(search.get('status'), scanTaskStatuses),
      name: textOf(search.get('name')),
      from: instantOf(search.get('from')),
      to: instantOf(search.get('to')),
    },
    syncFilter: {
      trigger: oneOf(search.get('trigger'), syncTriggers),
      status: listOf(search.get('syncStatus'), syncStatuses),
      from: instantOf(search.get('syncFrom')),
      to: instantOf(search.get('syncTo')),
    },
    pageSize: (taskPageSizes as readonly number[]).includes(size) ? size : defaultTaskPageSize,
  };
}

export function writeTaskManagerState(state: TaskManagerState): URLSearchParams {
  const { scanFilter: scan, syncFilter: sync } = state;
  const entries: readonly (readonly [string, string | readonly string[] | undefined])[] = [
    ['tab', state.tab === 'scan' ? undefined : state.tab],
    ['scanTask', state.scanTaskId],
    ['type', scan.type],
    ['status', scan.status],
    ['name', scan.name],
    ['from', scan.from],
    ['to', scan.to],
    ['trigger', sync.trigger],
    ['syncStatus', sync.status],
    ['syncFrom', sync.from],
    ['syncTo', sync.to],
    ['size', state.pageSize === defaultTaskPageSize ? undefined : String(state.pageSize)],
  ];
  const search = new URLSearchParams();
  for (const [key, value] of entries) {
    if (value === undefined || value.length === 0) continue;
    search.set(key, typeof value === 'string' ? value : value.join(','));
  }
  return search;
}

export function hasTaskFilter(filter: ScanTaskFilter | SyncTaskFilter): boolean {
  return Object.values(filter).some((value) => value !== undefined && value.length > 0);
}

/** The `GET scan-tasks` query of a filter (the pager adds `to` and `limit`). */
export function scanTaskListQuery(filter: ScanTaskFilter): ScanTaskListQuery {
  return {
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.name ? { name: filter.name } : {}),
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
  };
}

/** The `GET sync-tasks` query of a filter (the pager adds `to` and `limit`). */
export function syncTaskListQuery(filter: SyncTaskFilter): SyncTaskListQuery {
  return {
    ...(filter.trigger ? { trigger: filter.trigger } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
  };
}
