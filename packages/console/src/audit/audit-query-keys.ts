import type { QueryParams } from '../api/api-client.ts';

/**
 * The audit log's query keys: a project's events under the project; the whole service's log
 * (service administrators) belongs to no project.
 */
export const auditQueryKeys = {
  project: (projectId: string, query?: QueryParams) =>
    query === undefined
      ? (['project', projectId, 'audit-events'] as const)
      : (['project', projectId, 'audit-events', query] as const),
  service: (query?: QueryParams) =>
    query === undefined ? (['audit-events'] as const) : (['audit-events', query] as const),
};
