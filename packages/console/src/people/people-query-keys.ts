/**
 * Query keys of members, roles and users. Members and roles belong to a project (under it, so
 * project-wide invalidation reaches them); user accounts belong to the service, not to a project.
 */
export const peopleQueryKeys = {
  members: (projectId: string) => ['project', projectId, 'members'] as const,
  roles: (projectId: string) => ['project', projectId, 'roles'] as const,
  users: () => ['users'] as const,
};
