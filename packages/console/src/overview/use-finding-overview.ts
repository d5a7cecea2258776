import { useQuery } from '@tanstack/react-query';
import { usePermission } from '../access/use-permission.ts';
import { useApi } from '../api/api-context.tsx';
import type { FindingOverview } from '../api/overview-types.ts';
import { overviewQueryKeys } from './overview-query-keys.ts';

/**
 * The findings overview (`GET overview/findings`): counts per risk type and severity and the top
 * packages and images, one call for the three cards. Asked only with `images:get` (the overview
 * page itself needs only `images:list`); `access` says why not otherwise.
 */
export function useFindingOverview(projectId: string) {
  const api = useApi();
  const access = usePermission('images:get');
  const query = useQuery({
    queryKey: overviewQueryKeys.findings(projectId),
    queryFn: ({ signal }) =>
      api.get<FindingOverview>(
        `/projects/${encodeURIComponent(projectId)}/overview/findings`,
        undefined,
        signal,
      ),
    enabled: access.allowed,
  });
  return { access, query };
}
