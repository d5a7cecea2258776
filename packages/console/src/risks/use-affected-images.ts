import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { HandlingState } from '../api/handling-types.ts';
import type { AffectedImagePage, RiskViewKind } from '../api/risk-types.ts';
import { riskQueryKeys } from './risk-query-keys.ts';
import { riskViewPath } from './use-risk-view.ts';

/**
 * One page of the images a finding affects (`GET risks/{kind}/images?key=`), narrowed by the same
 * handling filter as the view, so the list and the view's image count agree.
 */
export function useAffectedImages<K extends RiskViewKind>(
  projectId: string,
  kind: K,
  key: string,
  handling: readonly HandlingState[] | undefined,
  page: { readonly current: number; readonly size: number },
) {
  const api = useApi();
  const query = {
    key,
    ...(handling ? { handling } : {}),
    offset: (page.current - 1) * page.size,
    limit: page.size,
  };
  return useQuery({
    queryKey: riskQueryKeys.affectedImages(projectId, kind, key, query),
    queryFn: ({ signal }) =>
      api.get<AffectedImagePage<K>>(`${riskViewPath(projectId, kind)}/images`, query, signal),
    placeholderData: keepPreviousData,
  });
}
