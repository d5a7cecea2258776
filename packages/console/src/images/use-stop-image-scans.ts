import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import type { ImageStopReply } from '../api/image-stop-types.ts';
import type { RepositoryImage } from '../api/image-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import { formatCount } from '../format/format-time.ts';
import { taskQueryKeys } from '../tasks/task-query-keys.ts';

/**
 * Stops one image's scans (`POST images/{imageId}/stop`): its queued and running scans end
 * terminated in every task, the tasks going on with their other images. Whatever the answer, the
 * image list (and the image's report under it) and the task lists are read again: a refusal
 * usually means the scans ended meanwhile, and the list should show that.
 */
export function useStopImageScans(projectId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: (image: Pick<RepositoryImage, 'id' | 'repository' | 'tag'>) =>
      api.post<ImageStopReply>(
        `/projects/${encodeURIComponent(projectId)}/images/${encodeURIComponent(image.id)}/stop`,
      ),
    onSuccess: (reply) => {
      const scans = reply.stopped === 1 ? 'scan' : 'scans';
      void message.success(
        `${reply.image.repository}:${reply.image.tag}: ${formatCount(reply.stopped)} ${scans} stopped.`,
      );
    },
    onError: (error, image) =>
      void message.error(
        `The scans of ${image.repository}:${image.tag} were not stopped: ${describeError(error)}`,
      ),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.images(projectId) });
      void queryClient.invalidateQueries({ queryKey: taskQueryKeys.scanTasks(projectId) });
    },
  });
}
