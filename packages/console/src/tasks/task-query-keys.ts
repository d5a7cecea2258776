import type { QueryParams } from '../api/api-client.ts';

/**
 * The task manager's TanStack Query keys. All sit under `['project', projectId]`, so a project-wide
 * invalidation (a sync ending, a project switch) reaches them; the scan-task keys share the prefix
 * `scanTasks(projectId)` so a stop refreshes the lists and the open detail at once. The sync-task
 * keys extend `['project', projectId, 'sync-tasks']`, the prefix of the sync runner's own key.
 */
export const taskQueryKeys = {
  scanTasks: (projectId: string) => ['project', projectId, 'scan-tasks'] as const,
  scanTaskList: (projectId: string, query: QueryParams) =>
    ['project', projectId, 'scan-tasks', 'list', query] as const,
  scanTask: (projectId: string, taskId: string) =>
    ['project', projectId, 'scan-tasks', 'task', taskId] as const,
  /** `version` changes whenever the task's counts do, so the list is read again only then. */
  scanTaskImages: (projectId: string, taskId: string, failedOnly: boolean, version: string) =>
    ['project', projectId, 'scan-tasks', 'task', taskId, 'images', { failedOnly, version }] as const,
  syncTasks: (projectId: string) => ['project', projectId, 'sync-tasks'] as const,
  syncTaskList: (projectId: string, query: QueryParams) =>
    ['project', projectId, 'sync-tasks', 'list', query] as const,
};
