import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useApi } from '../api/api-context.tsx';
import type { SeverityLevel } from '../api/handling-types.ts';
import type { RiskViewKind, RiskViewPage } from '../api/risk-types.ts';
import { riskQueryKeys } from './risk-query-keys.ts';
import { riskFilterQuery, type RiskViewFilter } from './risk-view-params.ts';
import { riskViewPath } from './use-risk-view.ts';

export interface SeverityCounts {
  /** Distinct findings per severity; undefined while loading. */
  readonly counts: Readonly<Partial<Record<SeverityLevel, number>>> | undefined;
  readonly error: unknown;
  refetch(): void;
}

/**
 * A view's findings per severity under the other filters (handling, search): one
 * `GET risks/{kind}?severity=…&limit=1` per severity, whose `total` is the count (the API has no
 * aggregate). Only for the tab on screen, and not at all when `severities` is empty.
 */
export function useSeverityCounts(
  projectId: string,
  kind: RiskViewKind,
  severities: readonly SeverityLevel[],
  filter: RiskViewFilter,
): SeverityCounts {
  const api = useApi();
  const base = riskFilterQuery({ ...filter, severity: undefined });
  const results = useQueries({
    queries: severities.map((severity) => {
      // Only the total is read: one finding, none of its images.
      const query = { ...base, severity, limit: 1, samples: 0 };
      return {
        queryKey: riskQueryKeys.severityCount(projectId, kind, severity, query),
        queryFn: ({ signal }: { readonly signal: AbortSignal }) =>
          api.get<RiskViewPage<typeof kind>>(riskViewPath(projectId, kind), query, signal),
      };
    }),
  });
  const error = results.find((result) => result.isError)?.error ?? undefined;
  const done = results.every((result) => result.data !== undefined);
  // The totals as one string: a value that only changes when a number does.
  const totals = results.map((result) => result.data?.total ?? 0).join(',');
  // One object per change of the numbers, so the chart redraws only when they change.
  const counts = useMemo(() => {
    if (!done) return undefined;
    const numbers = totals.split(',').map(Number);
    return Object.fromEntries(severities.map((severity, index) => [severity, numbers[index] ?? 0]));
  }, [done, totals, severities]);
  return {
    counts,
    error,
    refetch: () => results.forEach((result) => void result.refetch()),
  };
}
