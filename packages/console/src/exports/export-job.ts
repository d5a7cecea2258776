import { apiPrefix } from '../api/api-client.ts';
import type { ExportJob, ExportStatus } from '../api/export-types.ts';

/** While a job is being written, whoever shows it reads it again this often. */
export const exportPollMs = 1000;

/** The job is queued or running: its file is not there yet, and it is worth reading again. */
export function isExportWriting(status: ExportStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** The file of a finished job (same-origin, so the session cookie goes with the link). */
export function exportDownloadHref(job: ExportJob): string {
  return `${apiPrefix}/projects/${encodeURIComponent(job.projectId)}/exports/${encodeURIComponent(job.id)}/download`;
}
