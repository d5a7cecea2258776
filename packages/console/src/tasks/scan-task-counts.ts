import type { ScanTask } from '../api/task-types.ts';
import { scanStatusChartColors } from '../format/scan-status.ts';

/**
 * The parts a scan task's image scans are in, in the order the progress bar and the chart show
 * them: the ended ones first (what the progress counts), then what still runs and waits.
 */
export const taskCountParts = ['succeeded', 'failed', 'terminated', 'running', 'queued'] as const;
export type TaskCountPart = (typeof taskCountParts)[number];

export const taskCountLabels: Readonly<Record<TaskCountPart, string>> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  terminated: 'Terminated',
  running: 'Scanning',
  queued: 'Queued',
};

/** The image statuses' chart colours, so a task's parts look like the images' statuses. */
export const taskCountColors: Readonly<Record<TaskCountPart, string>> = {
  succeeded: scanStatusChartColors.succeeded,
  failed: scanStatusChartColors.failed,
  terminated: scanStatusChartColors.terminated,
  running: scanStatusChartColors.scanning,
  queued: scanStatusChartColors.queued,
};

export function countsOf(task: Pick<ScanTask, 'counts'>): Readonly<Record<TaskCountPart, number>> {
  const { succeeded, failed, terminated, running, queued } = task.counts;
  return { succeeded, failed, terminated, running, queued };
}
