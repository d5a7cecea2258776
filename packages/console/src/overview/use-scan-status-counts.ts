import { useQueries } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import { imageScanStatuses, type ImagePage, type ImageScanStatus } from '../api/image-types.ts';
import { queryKeys } from '../api/query-keys.ts';

export interface ScanStatusCounts {
  readonly counts: Readonly<Record<ImageScanStatus, number>> | undefined;
  /** Statuses whose count is a lower bound (the service stopped counting). */
  readonly atLeast: ReadonlySet<ImageScanStatus>;
  readonly isPending: boolean;
  readonly error: unknown;
  refetch(): void;
}

/**
 * Images per scan status, exact for any fleet size: one `GET images?status=…&limit=1` per status,
 * whose `total` is the count (the list API has no aggregate of its own).
 */
export function useScanStatusCounts(projectId: string): ScanStatusCounts {
  const api = useApi();
  const path = `/projects/${encodeURIComponent(projectId)}/images`;
  const results = useQueries({
    queries: imageScanStatuses.map((status) => {
      const query = { status: [status], limit: 1 };
      return {
        queryKey: queryKeys.images(projectId, query),
        queryFn: ({ signal }: { readonly signal: AbortSignal }) => api.get<ImagePage>(path, query, signal),
      };
    }),
  });
  const error = results.find((result) => result.isError)?.error ?? undefined;
  const done = results.every((result) => result.data !== undefined);
  const total = (status: ImageScanStatus) => results[imageScanStatuses.indexOf(status)]?.data?.total ?? 0;
  return {
    counts: done
      ? {
          not_scanned: total('not_scanned'),
          queued: total('queued'),
          scanning: total('scanning'),
          succeeded: total('succeeded'),
          failed: total('failed'),
          terminated: total('terminated'),
        }
      : undefined,
    atLeast: new Set(
      imageScanStatuses.filter((_status, index) => results[index]?.data?.totalIsLowerBound === true),
    ),
    isPending: !done && error === undefined,
    error,
    refetch: () => results.forEach((result) => void result.refetch()),
  };
}
