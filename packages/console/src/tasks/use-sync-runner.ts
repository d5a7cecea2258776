import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import { queryKeys } from '../api/query-keys.ts';
import type { SyncTask } from '../api/task-types.ts';
import { syncErrorText } from './sync-error-text.ts';

const pollMs = 1000;

function summary(task: SyncTask): string {
  const { added, changed, deleted, unchanged, skipped = 0 } = task.counts;
  const counts =
    `${added} added, ${changed} changed, ${deleted} removed, ${unchanged} unchanged` +
    (skipped > 0 ? `, ${skipped} skipped` : '');
  if (task.status === 'finished') return `Image list synchronized: ${counts}.`;
  const failures = task.errors.map(syncErrorText).join('; ');
  return task.status === 'partial'
    ? `Image list partly synchronized (${counts}); failed: ${failures}`
    : `Synchronizing the image list failed: ${failures}`;
}

/**
 * Starts a sync of all (or some) registries (`POST sync-tasks`, answered at once) and polls the
 * task until it ends; then the project's images and registries are refreshed and the outcome is
 * announced. The task manager shows the same tasks in full.
 */
export function useSyncRunner(projectId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [taskId, setTaskId] = useState<string | undefined>(undefined);
  const announced = useRef<string | undefined>(undefined);
  const start = useMutation({
    mutationFn: (registryIds?: readonly string[]) =>
      api.post<SyncTask>(
        `/projects/${encodeURIComponent(projectId)}/sync-tasks`,
        registryIds ? { registryIds } : {},
      ),
    onSuccess: (task) => setTaskId(task.id),
    onError: (error) => void message.error(`The sync did not start: ${describeError(error)}`),
  });
  const task = useQuery({
    queryKey: queryKeys.syncTask(projectId, taskId ?? ''),
    queryFn: ({ signal }) =>
      api.get<SyncTask>(
        `/projects/${encodeURIComponent(projectId)}/sync-tasks/${encodeURIComponent(taskId ?? '')}`,
        undefined,
        signal,
      ),
    enabled: taskId !== undefined,
    refetchInterval: (query) => (query.state.data?.status === 'running' ? pollMs : false),
  });
  const ended = task.data && task.data.status !== 'running' ? task.data : undefined;
  useEffect(() => {
    if (!ended || announced.current === ended.id) return;
    announced.current = ended.id;
    void queryClient.invalidateQueries({ queryKey: queryKeys.project(projectId) });
    if (ended.status === 'finished') void message.success(summary(ended));
    else void message.error(summary(ended));
  }, [ended, message, projectId, queryClient]);
  const running = start.isPending || (taskId !== undefined && ended?.id !== taskId);
  return {
    start: (registryIds?: readonly string[]) => start.mutate(registryIds),
    running,
    lastTask: task.data,
  };
}
