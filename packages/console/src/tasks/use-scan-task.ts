import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { ScanTask } from '../api/task-types.ts';
import { isLiveScanTask, liveTaskPollMs } from './live-tasks.ts';
import { taskQueryKeys } from './task-query-keys.ts';

/** One scan task (`GET scan-tasks/{taskId}`), read again every 2 s until it ends; off without an id. */
export function useScanTask(projectId: string, taskId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: taskQueryKeys.scanTask(projectId, taskId ?? ''),
    queryFn: ({ signal }) =>
      api.get<ScanTask>(
        `/projects/${encodeURIComponent(projectId)}/scan-tasks/${encodeURIComponent(taskId ?? '')}`,
        undefined,
        signal,
      ),
    enabled: taskId !== undefined,
    refetchInterval: (current) =>
      current.state.data && isLiveScanTask(current.state.data.status) ? liveTaskPollMs : false,
  });
}
