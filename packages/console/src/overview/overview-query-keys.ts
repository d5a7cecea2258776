/** The overview's own query keys, under the project so project-wide invalidation reaches them. */
export const overviewQueryKeys = {
  all: (projectId: string) => ['project', projectId, 'overview'] as const,
  findings: (projectId: string) => ['project', projectId, 'overview', 'findings'] as const,
  trend: (projectId: string, days: number) => ['project', projectId, 'overview', 'trend', days] as const,
};
