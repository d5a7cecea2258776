/** The usage page's query keys, under the project so project-wide invalidation reaches them. */
export const usageQueryKeys = {
  month: (projectId: string, month: string) => ['project', projectId, 'usage', month] as const,
};
