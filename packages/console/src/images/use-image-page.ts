import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { ImagePage } from '../api/image-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import { imageListQuery, type ImageListState } from './image-list-params.ts';

/** While an image on the page is queued or being scanned, the page is read again this often. */
const activePollMs = 3000;

/**
 * One page of the repository image list; the previous page stays on screen while the next loads,
 * and a page with scans in progress follows them.
 */
export function useImagePage(projectId: string, state: ImageListState) {
  const api = useApi();
  const query = imageListQuery(state);
  return useQuery({
    queryKey: queryKeys.images(projectId, query),
    queryFn: ({ signal }) =>
      api.get<ImagePage>(`/projects/${encodeURIComponent(projectId)}/images`, query, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (current) =>
      current.state.data?.images.some(
        (image) => image.scanStatus === 'queued' || image.scanStatus === 'scanning',
      )
        ? activePollMs
        : false,
  });
}
