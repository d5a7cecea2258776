import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { QueryParams } from '../api/api-client.ts';
import type { SyncTaskListReply } from '../api/task-manager-types.ts';
import { keysetPage, keysetWindow, type KeysetCursor } from './keyset-paging.ts';
import { isLiveSyncTask, liveTaskPollMs } from './live-tasks.ts';
import { syncTaskListQuery, type SyncTaskFilter } from './task-list-params.ts';
import { taskQueryKeys } from './task-query-keys.ts';

/**
 * One page of sync tasks (`GET sync-tasks`, newest first) and where the next one starts, read
 * again every 2 s while a sync on it runs.
 */
export function useSyncTaskPage(
  projectId: string,
  filter: SyncTaskFilter,
  pageSize: number,
  cursor: KeysetCursor | undefined,
) {
  const api = useApi();
  const query: QueryParams = { ...syncTaskListQuery(filter), ...keysetWindow(cursor, pageSize) };
  return useQuery({
    queryKey: taskQueryKeys.syncTaskList(projectId, { ...query, seen: cursor?.seenIds }),
    queryFn: async ({ signal }) => {
      const reply = await api.get<SyncTaskListReply>(
        `/projects/${encodeURIComponent(projectId)}/sync-tasks`,
        query,
        signal,
      );
      return keysetPage(reply.syncTasks, cursor, pageSize, (task) => task.startedAt);
    },
    placeholderData: keepPreviousData,
    refetchInterval: (current) =>
      current.state.data?.rows.some((task) => isLiveSyncTask(task.status)) ? liveTaskPollMs : false,
  });
}
