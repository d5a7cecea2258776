import type { StoredResult } from '../api/report-types.ts';

/** What each tab of the image report is given: the image, and the platform's current result it shows. */
export interface ReportTabProps {
  readonly projectId: string;
  readonly imageId: string;
  readonly result: StoredResult;
}
