import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useApi } from '../api/api-context.tsx';
import { handlingStates, type HandlingState } from '../api/handling-types.ts';
import type { RiskViewPage } from '../api/risk-types.ts';
import { handlingQueryKeys } from './handling-query-keys.ts';

export interface HandlingStateCounts {
  /** Distinct findings (an advisory in a package version) per state; undefined while loading. */
  readonly counts: Readonly<Record<HandlingState, number>> | undefined;
  readonly error: unknown;
  refetch(): void;
}

/**
 * Vulnerability findings per handling state: one `GET risks/vulnerability?handling=…&limit=1` per
 * state, whose `total` is the count (the risk view has no aggregate of its own). A finding handled
 * for some images only counts under each state its images are in.
 */
export function useHandlingStateCounts(projectId: string): HandlingStateCounts {
  const api = useApi();
  const path = `/projects/${encodeURIComponent(projectId)}/risks/vulnerability`;
  const results = useQueries({
    queries: handlingStates.map((state) => ({
      queryKey: handlingQueryKeys.stateCount(projectId, state),
      queryFn: ({ signal }: { readonly signal: AbortSignal }) =>
        api.get<RiskViewPage<'vulnerability'>>(path, { handling: [state], limit: 1 }, signal),
    })),
  });
  const error = results.find((result) => result.isError)?.error ?? undefined;
  const done = results.every((result) => result.data !== undefined);
  const total = (state: HandlingState) => results[handlingStates.indexOf(state)]?.data?.total ?? 0;
  const [open, ignored, repaired, allowlisted] = [
    total('open'),
    total('ignored'),
    total('repaired'),
    total('allowlisted'),
  ];
  // One object per change of the numbers, so the chart redraws only when they change.
  const counts = useMemo(
    () => (done ? { open, ignored, repaired, allowlisted } : undefined),
    [done, open, ignored, repaired, allowlisted],
  );
  return {
    counts,
    error,
    refetch: () => results.forEach((result) => void result.refetch()),
  };
}
