import type { QueryParams } from './api-client.ts';

/**
 * TanStack Query keys, in one place so a change can invalidate what it touched: everything of a
 * project starts with `['project', projectId]`, so switching projects or a sync refreshes it all.
 */
export const queryKeys = {
  me: () => ['me'] as const,
  projects: () => ['projects'] as const,
  project: (projectId: string) => ['project', projectId] as const,
  images: (projectId: string, query?: QueryParams) =>
    query === undefined
      ? (['project', projectId, 'images'] as const)
      : (['project', projectId, 'images', query] as const),
  imageOverview: (projectId: string) => ['project', projectId, 'images', 'overview'] as const,
  registries: (projectId: string) => ['project', projectId, 'registries'] as const,
  syncTask: (projectId: string, syncTaskId: string) =>
    ['project', projectId, 'sync-tasks', syncTaskId] as const,
};
