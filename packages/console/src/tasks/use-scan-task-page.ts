import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { QueryParams } from '../api/api-client.ts';
import type { ScanTaskListReply } from '../api/task-manager-types.ts';
import { keysetPage, keysetWindow, type KeysetCursor } from './keyset-paging.ts';
import { isLiveScanTask, liveTaskPollMs } from './live-tasks.ts';
import { scanTaskListQuery, type ScanTaskFilter } from './task-list-params.ts';
import { taskQueryKeys } from './task-query-keys.ts';

/**
 * One page of scan tasks (`GET scan-tasks`, newest first) and where the next one starts. The page
 * is cut out of the answer with the cursor it was asked with, so the page on screen while the next
 * one loads stays itself. Read again every 2 s while a task on it runs.
 */
export function useScanTaskPage(
  projectId: string,
  filter: ScanTaskFilter,
  pageSize: number,
  cursor: KeysetCursor | undefined,
) {
  const api = useApi();
  const query: QueryParams = { ...scanTaskListQuery(filter), ...keysetWindow(cursor, pageSize) };
  return useQuery({
    queryKey: taskQueryKeys.scanTaskList(projectId, { ...query, seen: cursor?.seenIds }),
    queryFn: async ({ signal }) => {
      const reply = await api.get<ScanTaskListReply>(
        `/projects/${encodeURIComponent(projectId)}/scan-tasks`,
        query,
        signal,
      );
      return keysetPage(reply.scanTasks, cursor, pageSize, (task) => task.createdAt);
    },
    placeholderData: keepPreviousData,
    refetchInterval: (current) =>
      current.state.data?.rows.some((task) => isLiveScanTask(task.status)) ? liveTaskPollMs : false,
  });
}
