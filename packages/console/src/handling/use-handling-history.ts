import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { HandlingHistory } from '../api/handling-types.ts';
import { handlingQueryKeys } from './handling-query-keys.ts';

/**
 * An advisory's handling events in the project, oldest first (`GET handling/vulnerabilities/:advisoryId`);
 * the handling page's drawer and the image report's dialog share the cached answer.
 */
export function useHandlingHistory(projectId: string, advisoryId: string | undefined, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: handlingQueryKeys.history(projectId, advisoryId ?? ''),
    queryFn: ({ signal }) =>
      api.get<HandlingHistory>(
        `/projects/${encodeURIComponent(projectId)}/handling/vulnerabilities/${encodeURIComponent(advisoryId ?? '')}`,
        undefined,
        signal,
      ),
    enabled: enabled && advisoryId !== undefined,
  });
}
