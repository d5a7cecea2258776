import { useQuery } from '@tanstack/react-query';
import { usePermission } from '../access/use-permission.ts';
import { useApi } from '../api/api-context.tsx';
import type { FindingTrend } from '../api/overview-types.ts';
import { overviewQueryKeys } from './overview-query-keys.ts';

/**
 * The findings trend of the last `days` days, today included (`GET overview/trend?days=`). Asked
 * only with `images:get`; `access` says why not otherwise. The previous range stays on screen
 * while another loads.
 */
export function useFindingTrend(projectId: string, days: number) {
  const api = useApi();
  const access = usePermission('images:get');
  const query = useQuery({
    queryKey: overviewQueryKeys.trend(projectId, days),
    queryFn: ({ signal }) =>
      api.get<FindingTrend>(`/projects/${encodeURIComponent(projectId)}/overview/trend`, { days }, signal),
    enabled: access.allowed,
    placeholderData: (previous) => previous,
  });
  return { access, query };
}
