import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { ExportPage } from '../api/export-types.ts';
import { exportPollMs, isExportWriting } from './export-job.ts';
import { exportQueryKeys } from './export-query-keys.ts';

/**
 * One page of the project's export jobs, newest first (`GET exports`); a page with jobs still
 * writing follows them until they finish or fail.
 */
export function useExportPage(projectId: string, page: number, pageSize: number) {
  const api = useApi();
  const query = { offset: (page - 1) * pageSize, limit: pageSize };
  return useQuery({
    queryKey: exportQueryKeys.list(projectId, query),
    queryFn: ({ signal }) =>
      api.get<ExportPage>(`/projects/${encodeURIComponent(projectId)}/exports`, query, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (current) =>
      current.state.data?.exports.some((job) => isExportWriting(job.status)) ? exportPollMs : false,
  });
}
