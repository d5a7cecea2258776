import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import { queryKeys } from '../api/query-keys.ts';
import type { ScanTask } from '../api/task-types.ts';
import { taskQueryKeys } from './task-query-keys.ts';

/**
 * Stops a scan task (`POST scan-tasks/{taskId}/stop`): its queued image scans end `terminated` at
 * once and running ones as soon as they abort, so the answer is `stopping` or `stopped`. The task
 * lists, the open task and the image list (whose scan statuses changed) are read again.
 */
export function useStopScanTask(projectId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: (task: Pick<ScanTask, 'id' | 'name'>) =>
      api.post<ScanTask>(
        `/projects/${encodeURIComponent(projectId)}/scan-tasks/${encodeURIComponent(task.id)}/stop`,
      ),
    onSuccess: (task) => {
      queryClient.setQueryData(taskQueryKeys.scanTask(projectId, task.id), task);
      void queryClient.invalidateQueries({ queryKey: taskQueryKeys.scanTasks(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.images(projectId) });
      void message.success(
        task.status === 'stopping'
          ? `Stopping "${task.name}": its running scans are being ended.`
          : `Scan task "${task.name}" stopped.`,
      );
    },
    onError: (error, task) => void message.error(`"${task.name}" was not stopped: ${describeError(error)}`),
  });
}
