import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { ImageOverview } from '../api/report-types.ts';
import { reportQueryKeys } from './report-query-keys.ts';

/** While the image waits for or undergoes a scan, the page reads it again this often. */
const activePollMs = 3000;

/**
 * The image with its scan status and the current result of each scanned platform
 * (`GET images/{imageId}`); follows a scan in progress until it ends, when the new results'
 * ids change the section keys and the sections load afresh.
 */
export function useImageOverview(projectId: string, imageId: string) {
  const api = useApi();
  return useQuery({
    queryKey: reportQueryKeys.overview(projectId, imageId),
    queryFn: ({ signal }) =>
      api.get<ImageOverview>(
        `/projects/${encodeURIComponent(projectId)}/images/${encodeURIComponent(imageId)}`,
        undefined,
        signal,
      ),
    refetchInterval: (query) => {
      const status = query.state.data?.image.scanStatus;
      return status === 'queued' || status === 'scanning' ? activePollMs : false;
    },
  });
}
