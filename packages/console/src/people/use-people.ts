import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { Member, Role, User } from '../api/identity-types.ts';
import { peopleQueryKeys } from './people-query-keys.ts';

/** The project's members and their roles (`GET members`, needs iam:set). */
export function useMembers(projectId: string) {
  const api = useApi();
  return useQuery({
    queryKey: peopleQueryKeys.members(projectId),
    queryFn: async ({ signal }) =>
      (
        await api.get<{ readonly members: readonly Member[] }>(
          `/projects/${encodeURIComponent(projectId)}/members`,
          undefined,
          signal,
        )
      ).members,
  });
}

/** The project's roles: the built-in ones first, then its custom ones by name (`GET roles`). */
export function useRoles(projectId: string) {
  const api = useApi();
  return useQuery({
    queryKey: peopleQueryKeys.roles(projectId),
    queryFn: async ({ signal }) =>
      (
        await api.get<{ readonly roles: readonly Role[] }>(
          `/projects/${encodeURIComponent(projectId)}/roles`,
          undefined,
          signal,
        )
      ).roles,
  });
}

/** Every user account (`GET /users`); only service administrators may ask, so others leave it off. */
export function useUsers(enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: peopleQueryKeys.users(),
    queryFn: async ({ signal }) =>
      (await api.get<{ readonly users: readonly User[] }>('/users', undefined, signal)).users,
    enabled,
  });
}
