import type { CiScanListQuery } from '../api/ci-scan-types.ts';

/**
 * The CI scan tab's TanStack Query keys, under `['project', projectId]` so a project-wide
 * invalidation reaches them; both share `ciScans(projectId)`, which Refresh invalidates.
 */
export const ciScanQueryKeys = {
  ciScans: (projectId: string) => ['project', projectId, 'ci-scans'] as const,
  ciScanList: (projectId: string, query: CiScanListQuery) =>
    ['project', projectId, 'ci-scans', 'list', query] as const,
  ciScan: (projectId: string, ciScanId: string) =>
    ['project', projectId, 'ci-scans', 'scan', ciScanId] as const,
};
