import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { ScanTaskImagesReply } from '../api/task-manager-types.ts';
import type { ScanTask } from '../api/task-types.ts';
import { taskQueryKeys } from './task-query-keys.ts';

/**
 * A task's image scans (`GET scan-tasks/{taskId}/images`, all of them in one answer, or only the
 * failed ones). The list can be long, so it is not polled: it is read again when the task's
 * counts change, which the task's own 2 s poll notices.
 */
export function useScanTaskImages(projectId: string, task: ScanTask | undefined, failedOnly: boolean) {
  const api = useApi();
  const counts = task?.counts;
  const version = counts
    ? [counts.queued, counts.running, counts.succeeded, counts.failed, counts.terminated].join('-')
    : '';
  return useQuery({
    queryKey: taskQueryKeys.scanTaskImages(projectId, task?.id ?? '', failedOnly, version),
    queryFn: async ({ signal }) =>
      (
        await api.get<ScanTaskImagesReply>(
          `/projects/${encodeURIComponent(projectId)}/scan-tasks/${encodeURIComponent(task?.id ?? '')}/images`,
          failedOnly ? { failedOnly: true } : undefined,
          signal,
        )
      ).images,
    enabled: task !== undefined,
    placeholderData: keepPreviousData,
  });
}
