import { Descriptions, Drawer, Flex, Typography } from 'antd';
import type { ScanTask } from '../api/task-types.ts';
import { formatCount, formatTime } from '../format/format-time.ts';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { durationBetween, formatDuration } from './format-duration.ts';
import { scanScopeLabel } from './scan-scope-label.ts';
import { riskTypesText, speedLimitText } from './scan-task-columns.tsx';
import { ScanTaskCountsCard } from './scan-task-counts-card.tsx';
import { ScanTaskImages } from './scan-task-images.tsx';
import { ScanTaskProgress } from './scan-task-progress.tsx';
import { StopScanTaskButton } from './stop-scan-task-button.tsx';
import { scanTaskTypeLabels } from './task-labels.ts';
import { ScanTaskStatusTag } from './task-status-tags.tsx';
import { useScanTask } from './use-scan-task.ts';

/** How far the task is, in words: the remaining time while it runs, how long it took once ended. */
function pace(task: ScanTask): string {
  const done = task.counts.succeeded + task.counts.failed + task.counts.terminated;
  const counted = `${formatCount(done)} of ${formatCount(task.counts.total)} image scans ended`;
  if (task.status === 'running')
    return task.remainingMs === undefined
      ? `${counted}; the remaining time is known once the first scan ends`
      : `${counted}; about ${formatDuration(task.remainingMs)} left`;
  const took = durationBetween(task.createdAt, task.finishedAt);
  return took === undefined ? counted : `${counted}; took ${formatDuration(took)}`;
}

function TaskDetail({
  projectId,
  task,
  registryNames,
}: {
  readonly projectId: string;
  readonly task: ScanTask;
  readonly registryNames: ReadonlyMap<string, string>;
}) {
  return (
    <Flex vertical gap={16}>
      <div>
        <ScanTaskProgress task={task} height={12} />
        <Typography.Text type="secondary" data-testid="scan-task-pace">
          {pace(task)}
        </Typography.Text>
      </div>
      <Descriptions
        size="small"
        column={2}
        bordered
        items={[
          { key: 'status', label: 'Status', children: <ScanTaskStatusTag status={task.status} /> },
          { key: 'type', label: 'Type', children: scanTaskTypeLabels[task.type] },
          { key: 'creator', label: 'Creator', children: task.creator },
          { key: 'speed', label: 'Speed limit', children: speedLimitText(task.speedLimit) },
          { key: 'scope', label: 'Scope', span: 2, children: scanScopeLabel(task.scope, registryNames) },
          { key: 'risks', label: 'Risk types', span: 2, children: riskTypesText(task.riskTypes) },
          // A task runs from its creation (the API has one instant for both).
          { key: 'created', label: 'Created and started', children: formatTime(task.createdAt) },
          { key: 'finished', label: 'Finished', children: formatTime(task.finishedAt, 'Not yet') },
          {
            key: 'deadline',
            label: 'Deadline',
            span: 2,
            children:
              task.deadlineAt === null
                ? 'None'
                : `${formatTime(task.deadlineAt)} (it ends timed out if it still runs then)`,
          },
        ]}
      />
      <ScanTaskCountsCard task={task} />
      <div>
        <Typography.Title level={5}>Images</Typography.Title>
        <ScanTaskImages key={task.id} projectId={projectId} task={task} />
      </div>
    </Flex>
  );
}

/**
 * A scan task in full, beside the list: progress, settings, counts with a chart, its images with
 * failure reasons, and Stop. Opened by `?scanTask=<id>` (the images page links there after
 * starting a task), so it reads the task itself rather than from the list's page.
 */
export function ScanTaskDrawer({
  projectId,
  taskId,
  registryNames,
  onClose,
}: {
  readonly projectId: string;
  readonly taskId: string | undefined;
  readonly registryNames: ReadonlyMap<string, string>;
  readonly onClose: () => void;
}) {
  const task = useScanTask(projectId, taskId);
  return (
    <Drawer
      open={taskId !== undefined}
      onClose={onClose}
      size={880}
      destroyOnHidden
      title={task.data ? task.data.name : 'Scan task'}
      extra={task.data ? <StopScanTaskButton projectId={projectId} task={task.data} /> : undefined}
    >
      {task.isError ? (
        <ErrorState error={task.error} onRetry={() => void task.refetch()} />
      ) : !task.data ? (
        <LoadingState label="Loading the scan task…" />
      ) : (
        <TaskDetail projectId={projectId} task={task.data} registryNames={registryNames} />
      )}
    </Drawer>
  );
}
