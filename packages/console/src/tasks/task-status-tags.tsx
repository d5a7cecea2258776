import { LoadingOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import type { ScanTaskStatus, SyncStatus } from '../api/task-types.ts';
import type { TaskImageStatus } from '../api/task-manager-types.ts';
import { scanTaskStatusLooks, syncStatusLooks, taskImageStatusLooks } from './task-labels.ts';

/** The status tags of the task manager; what still changes spins, so a live row stands out. */

export function ScanTaskStatusTag({ status }: { readonly status: ScanTaskStatus }) {
  const { label, color } = scanTaskStatusLooks[status];
  const live = status === 'running' || status === 'stopping';
  return (
    <Tag color={color} icon={live ? <LoadingOutlined /> : undefined} data-status={status}>
      {label}
    </Tag>
  );
}

export function SyncTaskStatusTag({ status }: { readonly status: SyncStatus }) {
  const { label, color } = syncStatusLooks[status];
  return (
    <Tag color={color} icon={status === 'running' ? <LoadingOutlined /> : undefined} data-status={status}>
      {label}
    </Tag>
  );
}

export function TaskImageStatusTag({ status }: { readonly status: TaskImageStatus }) {
  const { label, color } = taskImageStatusLooks[status];
  return (
    <Tag color={color} data-status={status}>
      {label}
    </Tag>
  );
}
