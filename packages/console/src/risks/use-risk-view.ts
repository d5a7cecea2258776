import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { RiskViewKind, RiskViewPage } from '../api/risk-types.ts';
import { riskQueryKeys } from './risk-query-keys.ts';
import { riskViewQuery, type RiskViewState } from './risk-view-params.ts';

/** The path of a risk view and of its sub-resources. */
export function riskViewPath(projectId: string, kind: RiskViewKind): string {
  return `/projects/${encodeURIComponent(projectId)}/risks/${kind}`;
}

/** One page of a risk view; the previous page stays on screen while the next loads. */
export function useRiskView<K extends RiskViewKind>(projectId: string, kind: K, state: RiskViewState) {
  const api = useApi();
  const query = riskViewQuery(state);
  return useQuery({
    queryKey: riskQueryKeys.view(projectId, kind, query),
    queryFn: ({ signal }) => api.get<RiskViewPage<K>>(riskViewPath(projectId, kind), query, signal),
    placeholderData: keepPreviousData,
  });
}
