import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import { maxImagePageSize, type ImagePage, type RiskLevel } from '../api/image-types.ts';
import { queryKeys } from '../api/query-keys.ts';

/** Risk levels plus the images without one (never scanned successfully). */
export type RiskBucket = RiskLevel | 'not_assessed';

export interface RiskLevelCounts {
  readonly counts: Readonly<Record<RiskBucket, number>>;
  /** Images counted: all of them unless the project has more than `riskCountLimit`. */
  readonly counted: number;
  readonly total: number;
  /** `total` is a lower bound (the service stopped counting). */
  readonly totalIsLowerBound: boolean;
}

/**
 * How many images the overview reads to count risk levels. The list API filters by status but not
 * by risk level, so the counts come from reading the list itself; past this many images the
 * overview says the counts cover the first ones only (by risk level, the riskiest first).
 */
export const riskCountLimit = 5000;

/** Images per risk level, from the image list sorted by risk level (riskiest first). */
export function useRiskLevelCounts(projectId: string) {
  const api = useApi();
  const path = `/projects/${encodeURIComponent(projectId)}/images`;
  return useQuery({
    queryKey: [...queryKeys.imageOverview(projectId), 'risk-levels'],
    queryFn: async ({ signal }): Promise<RiskLevelCounts> => {
      const counts: Record<RiskBucket, number> = {
        critical: 0,
        high: 0,
        medium: 0,
        low: 0,
        unknown: 0,
        none: 0,
        not_assessed: 0,
      };
      let counted = 0;
      for (;;) {
        const page = await api.get<ImagePage>(
          path,
          { sort: 'riskLevel', order: 'desc', offset: counted, limit: maxImagePageSize },
          signal,
        );
        for (const image of page.images) counts[image.riskLevel ?? 'not_assessed'] += 1;
        counted += page.images.length;
        if (page.images.length === 0 || counted >= page.total || counted >= riskCountLimit)
          return { counts, counted, total: page.total, totalIsLowerBound: page.totalIsLowerBound === true };
      }
    },
  });
}
