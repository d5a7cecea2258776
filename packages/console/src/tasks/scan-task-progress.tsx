import { Flex, Tooltip, Typography } from 'antd';
import type { ScanTask } from '../api/task-types.ts';
import { formatCount } from '../format/format-time.ts';
import { countsOf, taskCountColors, taskCountLabels, taskCountParts } from './scan-task-counts.ts';

/**
 * A task's progress as one bar split by outcome (succeeded, failed, terminated, scanning, queued,
 * each its share of the total), with the percentage the API computes beside it and every count in
 * the tooltip: a glance shows both how far the task is and how well it goes.
 */
export function ScanTaskProgress({
  task,
  height = 8,
}: {
  readonly task: Pick<ScanTask, 'counts' | 'progress'>;
  readonly height?: number;
}) {
  const counts = countsOf(task);
  const total = task.counts.total;
  const summary = taskCountParts
    .filter((part) => counts[part] > 0)
    .map((part) => `${formatCount(counts[part])} ${taskCountLabels[part].toLowerCase()}`)
    .join(', ');
  const label = `${task.progress}% done: ${summary === '' ? 'no images' : summary} of ${formatCount(total)}`;
  return (
    <Tooltip title={label}>
      <Flex align="center" gap={8} data-testid="scan-task-progress">
        <div
          role="progressbar"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={task.progress}
          style={{
            display: 'flex',
            flex: 1,
            minWidth: 80,
            height,
            borderRadius: height / 2,
            overflow: 'hidden',
            background: 'rgba(0, 0, 0, 0.06)',
          }}
        >
          {total === 0
            ? null
            : taskCountParts.map((part) =>
                counts[part] === 0 ? null : (
                  <div
                    key={part}
                    data-part={part}
                    style={{ width: `${(counts[part] / total) * 100}%`, background: taskCountColors[part] }}
                  />
                ),
              )}
        </div>
        <Typography.Text style={{ minWidth: 40, textAlign: 'right' }}>{task.progress}%</Typography.Text>
      </Flex>
    </Tooltip>
  );
}
