import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { Me } from '../api/identity-types.ts';
import { queryKeys } from '../api/query-keys.ts';

/**
 * The signed-in caller and its permissions per project (`GET /me`); a 401 ends the session. A tab
 * that never signed in (no CSRF token) does not ask: it could not make a change anyway.
 */
export function useMe() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.me(),
    queryFn: ({ signal }) => api.get<Me>('/me', undefined, signal),
    staleTime: 60_000,
    enabled: api.hasSession(),
  });
}
