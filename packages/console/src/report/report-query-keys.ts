import type { ReportSection } from '../api/report-types.ts';

/**
 * The image report's TanStack Query keys. They sit under the project's image keys
 * (`['project', projectId, 'images', imageId, ...]`), so whatever refreshes the project's images
 * (a scan started, a sync, a handling event) refreshes the report too.
 */
export const reportQueryKeys = {
  /** Everything of one image: invalidate it after handling one of its findings. */
  image: (projectId: string, imageId: string) => ['project', projectId, 'images', imageId] as const,
  overview: (projectId: string, imageId: string) =>
    ['project', projectId, 'images', imageId, 'overview'] as const,
  /**
   * One section of one platform's current result; `resultId` is in the key so a new scan's result
   * is fetched afresh rather than shown from the cache of the old one.
   */
  section: (projectId: string, imageId: string, section: ReportSection, platform: string, resultId: string) =>
    ['project', projectId, 'images', imageId, 'report', section, platform, resultId] as const,
};
