import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { ScanSettings, ScanSettingsChange } from '../api/handling-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import { handlingQueryKeys } from './handling-query-keys.ts';

function settingsPath(projectId: string): string {
  return `/projects/${encodeURIComponent(projectId)}/scan-settings`;
}

/**
 * The project's scan settings (`GET scan-settings`). Reading them needs `results:handle` (the
 * weak-password words may be the company's own), so the query is off without it.
 */
export function useScanSettings(projectId: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: handlingQueryKeys.scanSettings(projectId),
    queryFn: ({ signal }) => api.get<ScanSettings>(settingsPath(projectId), undefined, signal),
    enabled,
  });
}

/**
 * Changes some settings (`PATCH scan-settings`; absent fields keep their value). The answer
 * replaces the cached settings; a new path allowlist changes which stored secret findings count,
 * so the project's cached counts are refreshed too.
 */
export function useScanSettingsUpdate(projectId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: ScanSettingsChange) => api.patch<ScanSettings>(settingsPath(projectId), change),
    onSuccess: (settings, change) => {
      queryClient.setQueryData(handlingQueryKeys.scanSettings(projectId), settings);
      if (change.secretPathAllowlist !== undefined)
        void queryClient.invalidateQueries({
          queryKey: queryKeys.project(projectId),
          predicate: (query) => query.queryKey[3] !== 'scan-settings',
        });
    },
  });
}
