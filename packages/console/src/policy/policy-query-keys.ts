/**
 * Query keys of the scheduled policy page, under `['project', projectId]` so project-wide
 * invalidation (a project switch, a sync) reaches them too.
 */
export const policyQueryKeys = {
  policy: (projectId: string) => ['project', projectId, 'policy'] as const,
};
