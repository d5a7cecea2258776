import { Flex, Tooltip, Typography, type TableColumnsType } from 'antd';
import type { SyncTask } from '../api/task-types.ts';
import { formatCount } from '../format/format-time.ts';
import { TimeCell } from '../format/time-cell.tsx';
import { durationBetween, formatDuration } from './format-duration.ts';
import { syncErrorText } from './sync-error-text.ts';
import { syncTriggerLabels } from './task-labels.ts';
import { SyncTaskStatusTag } from './task-status-tags.tsx';

/** A registry's name, or the start of its id when it is gone (or not listable). */
function nameOf(id: string, names: ReadonlyMap<string, string>): string {
  return names.get(id) ?? `registry ${id.slice(0, 8)}`;
}

const countKeys = [
  ['added', 'Added', 90],
  ['changed', 'Changed', 90],
  ['deleted', 'Removed', 90],
  ['unchanged', 'Unchanged', 104],
] as const;

/** Fits beside the side menu at 1280 pixels, as the scan task list does. */
export const syncTaskTableWidth = 1030;

/** The columns of the sync task list: status and trigger, registries, what changed, errors and times. */
export function syncTaskColumns(names: ReadonlyMap<string, string>): TableColumnsType<SyncTask> {
  return [
    {
      title: 'Status',
      key: 'status',
      width: 120,
      render: (_value, task) => (
        <Flex vertical align="flex-start" gap={2}>
          <SyncTaskStatusTag status={task.status} />
          <Typography.Text type="secondary">{syncTriggerLabels[task.trigger]}</Typography.Text>
        </Flex>
      ),
    },
    {
      title: 'Registries',
      key: 'registries',
      width: 150,
      ellipsis: { showTitle: true },
      render: (_value, task) => task.connectionIds.map((id) => nameOf(id, names)).join(', ') || 'None',
    },
    ...countKeys.map(([key, title, width]) => ({
      title,
      key,
      width,
      align: 'right' as const,
      render: (_value: unknown, task: SyncTask) => (
        <span data-count={key}>{formatCount(task.counts[key])}</span>
      ),
    })),
    {
      title: 'Errors',
      key: 'errors',
      width: 146,
      render: (_value, task) =>
        task.errors.length === 0 ? (
          <Typography.Text type="secondary">None</Typography.Text>
        ) : (
          <Flex vertical gap={2} data-testid="sync-errors">
            {task.errors.map((error) => (
              // A skipped repository or tag (`image`) is a warning: the rest of its registry was read.
              <Tooltip key={`${error.connectionId}/${error.image ?? ''}/${error.code}`} title={error.message}>
                <Typography.Text type={error.image === undefined ? 'danger' : 'warning'} ellipsis>
                  {nameOf(error.connectionId, names)}: {syncErrorText(error)}
                </Typography.Text>
              </Tooltip>
            ))}
          </Flex>
        ),
    },
    {
      title: 'Started',
      key: 'startedAt',
      width: 120,
      render: (_value, task) => <TimeCell value={task.startedAt} />,
    },
    {
      title: 'Finished',
      key: 'finishedAt',
      width: 120,
      render: (_value, task) => {
        const took = durationBetween(task.startedAt, task.finishedAt);
        return (
          <Flex vertical>
            <TimeCell value={task.finishedAt} fallback="Not yet" />
            {took === undefined ? null : (
              <Typography.Text type="secondary">took {formatDuration(took)}</Typography.Text>
            )}
          </Flex>
        );
      },
    },
  ];
}
