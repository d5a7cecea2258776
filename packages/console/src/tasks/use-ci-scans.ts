import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { CiScanListQuery, CiScanListReply, CiScanWithReport } from '../api/ci-scan-types.ts';
import { ciScanQueryKeys } from './ci-scan-query-keys.ts';

/**
 * One page of CI scans (`GET ci-scans`, newest first, offset paging with a total). Uploads are
 * finished when they appear, so nothing polls: Refresh reads the list again.
 */
export function useCiScanPage(projectId: string, query: CiScanListQuery) {
  const api = useApi();
  return useQuery({
    queryKey: ciScanQueryKeys.ciScanList(projectId, query),
    queryFn: ({ signal }) =>
      api.get<CiScanListReply>(`/projects/${encodeURIComponent(projectId)}/ci-scans`, { ...query }, signal),
    placeholderData: keepPreviousData,
  });
}

/** One CI scan with its report (`GET ci-scans/{ciScanId}`); off without an id. */
export function useCiScan(projectId: string, ciScanId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ciScanQueryKeys.ciScan(projectId, ciScanId ?? ''),
    queryFn: ({ signal }) =>
      api.get<CiScanWithReport>(
        `/projects/${encodeURIComponent(projectId)}/ci-scans/${encodeURIComponent(ciScanId ?? '')}`,
        undefined,
        signal,
      ),
    enabled: ciScanId !== undefined,
  });
}
