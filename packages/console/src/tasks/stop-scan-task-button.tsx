import { StopOutlined } from '@ant-design/icons';
import type { ButtonProps } from 'antd';
import { ReasonedButton } from '../access/reasoned-button.tsx';
import type { ScanTask } from '../api/task-types.ts';
import { formatCount } from '../format/format-time.ts';
import { isLiveScanTask } from './live-tasks.ts';
import { useStopPermission } from './use-stop-permission.ts';
import { useStopScanTask } from './use-stop-scan-task.ts';

/**
 * Stop, after a confirmation that says what stopping does. Like GuardedButton it stays visible
 * and disabled with the reason when the role may not stop scans (it needs either of two
 * permissions, which GuardedButton cannot express) or the task has already ended.
 */
export function StopScanTaskButton({
  projectId,
  task,
  size,
}: {
  readonly projectId: string;
  readonly task: ScanTask;
  readonly size?: ButtonProps['size'];
}) {
  const access = useStopPermission();
  const stop = useStopScanTask(projectId);
  const stopping = task.status === 'stopping' || (stop.isPending && stop.variables.id === task.id);
  const reason = !access.allowed
    ? access.reason
    : !isLiveScanTask(task.status)
      ? 'The task has ended.'
      : task.status === 'stopping'
        ? 'The task is stopping.'
        : undefined;
  const waiting = task.counts.queued + task.counts.running;
  return (
    <ReasonedButton
      reason={reason}
      size={size}
      danger
      icon={<StopOutlined />}
      loading={stopping}
      aria-label={`Stop ${task.name}`}
      confirm={{
        title: `Stop ${task.name}?`,
        description: `Its ${formatCount(waiting)} queued and running image scans end as terminated; results already stored stay.`,
        okText: 'Stop task',
        cancelText: 'Keep running',
        onConfirm: () => stop.mutate(task),
      }}
    >
      Stop
    </ReasonedButton>
  );
}
