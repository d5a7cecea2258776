import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type {
  ReportSection,
  ReportSectionContent,
  ReportSectionReply,
  StoredResult,
} from '../api/report-types.ts';
import { reportQueryKeys } from './report-query-keys.ts';

/**
 * One section of one platform's current result (`GET images/{imageId}/report/{section}?platform=`).
 * The API answers every scanned platform without `platform` (a single-platform image's is `''`,
 * which a query string cannot carry), so the answer is narrowed to the result asked for.
 */
export function useReportSection<S extends ReportSection>(
  projectId: string,
  imageId: string,
  section: S,
  result: StoredResult,
) {
  const api = useApi();
  return useQuery({
    queryKey: reportQueryKeys.section(projectId, imageId, section, result.platform, result.id),
    queryFn: async ({ signal }): Promise<ReportSectionContent[S] | undefined> => {
      const reply = await api.get<ReportSectionReply<S>>(
        `/projects/${encodeURIComponent(projectId)}/images/${encodeURIComponent(imageId)}/report/${section}`,
        { platform: result.platform },
        signal,
      );
      const entry =
        reply.platforms.find((candidate) => candidate.resultId === result.id) ??
        reply.platforms.find((candidate) => candidate.platform === result.platform);
      return entry?.section;
    },
  });
}
