import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import { isConsoleApiError } from '../api/api-error.ts';
import type { ScanPolicy } from '../api/policy-types.ts';
import { policyQueryKeys } from './policy-query-keys.ts';

/** The path of the project's policy (`GET`, `PUT` and `DELETE` share it). */
export function policyPath(projectId: string): string {
  return `/projects/${encodeURIComponent(projectId)}/policy`;
}

/**
 * The project's scheduled scan policy; null while it has none (the API answers 404 `not_found`
 * then, which is an answer here, not a failure).
 */
export function useScanPolicy(projectId: string) {
  const api = useApi();
  return useQuery({
    queryKey: policyQueryKeys.policy(projectId),
    queryFn: async ({ signal }): Promise<ScanPolicy | null> => {
      try {
        return await api.get<ScanPolicy>(policyPath(projectId), undefined, signal);
      } catch (error) {
        if (isConsoleApiError(error) && error.code === 'not_found') return null;
        throw error;
      }
    },
  });
}
