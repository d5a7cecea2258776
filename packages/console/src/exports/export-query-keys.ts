import type { QueryParams } from '../api/api-client.ts';

/** The export jobs' query keys, under the project so project-wide invalidation reaches them. */
export const exportQueryKeys = {
  list: (projectId: string, query?: QueryParams) =>
    query === undefined
      ? (['project', projectId, 'exports'] as const)
      : (['project', projectId, 'exports', query] as const),
  job: (projectId: string, exportId: string) => ['project', projectId, 'exports', 'job', exportId] as const,
  imageSearch: (projectId: string, name: string) =>
    ['project', projectId, 'images', 'export-picker', name] as const,
};
