import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { Project } from '../api/project-types.ts';
import { queryKeys } from '../api/query-keys.ts';

/** The projects the caller holds a role in (`GET /projects`). */
export function useProjects() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.projects(),
    queryFn: async ({ signal }) =>
      (await api.get<{ readonly projects: readonly Project[] }>('/projects', undefined, signal)).projects,
    staleTime: 60_000,
  });
}
