import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { ApiToken } from '../api/identity-types.ts';
import { tokenQueryKeys } from './token-query-keys.ts';

/** The caller's API tokens, newest first, revoked and expired ones included (`GET /me/tokens`). */
export function useTokens() {
  const api = useApi();
  return useQuery({
    queryKey: tokenQueryKeys.tokens(),
    queryFn: async ({ signal }) =>
      (await api.get<{ readonly tokens: readonly ApiToken[] }>('/me/tokens', undefined, signal)).tokens,
  });
}
