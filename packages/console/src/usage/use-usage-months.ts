import { useQueries } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { MonthlyUsage } from '../api/usage-types.ts';
import { usageQueryKeys } from './usage-query-keys.ts';

/** Past months change only when a late scan is billed; the current one is read on every visit. */
const pastMonthStaleMs = 5 * 60_000;

export interface UsageMonths {
  /** One entry per month asked for, in the same order; undefined until all have arrived. */
  readonly months: readonly MonthlyUsage[] | undefined;
  readonly isFetching: boolean;
  readonly error: unknown;
  refetch(): void;
}

/**
 * The project's usage of each of `months` (`GET usage?month=…`, one call per month: the API
 * answers one month at a time). The last month is taken to be the current one.
 */
export function useUsageMonths(projectId: string, months: readonly string[]): UsageMonths {
  const api = useApi();
  const path = `/projects/${encodeURIComponent(projectId)}/usage`;
  const results = useQueries({
    queries: months.map((month, index) => ({
      queryKey: usageQueryKeys.month(projectId, month),
      queryFn: ({ signal }: { readonly signal: AbortSignal }) =>
        api.get<MonthlyUsage>(path, { month }, signal),
      staleTime: index === months.length - 1 ? 0 : pastMonthStaleMs,
    })),
  });
  const error = results.find((result) => result.isError)?.error ?? undefined;
  const data = results.map((result) => result.data);
  const complete = data.every((entry): entry is MonthlyUsage => entry !== undefined);
  return {
    months: complete ? data : undefined,
    isFetching: results.some((result) => result.isFetching),
    error,
    refetch: () => results.forEach((result) => void result.refetch()),
  };
}
