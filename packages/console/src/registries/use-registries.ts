import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import { queryKeys } from '../api/query-keys.ts';
import type { RegistryConnection } from '../api/registry-types.ts';

/** The project's registry connections (`GET registries`); off when the user may not list them. */
export function useRegistries(projectId: string, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.registries(projectId),
    queryFn: async ({ signal }) =>
      (
        await api.get<{ readonly registries: readonly RegistryConnection[] }>(
          `/projects/${encodeURIComponent(projectId)}/registries`,
          undefined,
          signal,
        )
      ).registries,
    enabled,
  });
}
