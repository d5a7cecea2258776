import { Button, Flex, Tag, Typography, type TableColumnsType } from 'antd';
import { riskTypes, type ScanTask } from '../api/task-types.ts';
import { formatCount } from '../format/format-time.ts';
import { riskTypeLabels } from '../format/risk-type.ts';
import { TimeCell } from '../format/time-cell.tsx';
import { scanScopeLabel } from './scan-scope-label.ts';
import { ScanTaskProgress } from './scan-task-progress.tsx';
import { StopScanTaskButton } from './stop-scan-task-button.tsx';
import { scanTaskTypeLabels } from './task-labels.ts';
import { ScanTaskStatusTag } from './task-status-tags.tsx';

/** "All" when a task covers every risk type, else their names. */
export function riskTypesText(types: ScanTask['riskTypes']): string {
  if (riskTypes.every((type) => types.includes(type))) return 'All risk types';
  return types.map((type) => riskTypeLabels[type]).join(', ');
}

/** 0 = unlimited; else images per hour per registry connection. */
export function speedLimitText(limit: number): string {
  return limit === 0
    ? 'No speed limit'
    : `${formatCount(limit)} ${limit === 1 ? 'image' : 'images'}/h per registry`;
}

export interface ScanTaskColumnOptions {
  readonly projectId: string;
  readonly registryNames: ReadonlyMap<string, string>;
  readonly onOpen: (task: ScanTask) => void;
}

/** Fits beside the side menu at 1280 pixels; narrower screens scroll with the name and actions fixed. */
export const scanTaskTableWidth = 1030;

/** The columns of the scan task list: what PRODUCT.md section 2 says a scan task is. */
export function scanTaskColumns({
  projectId,
  registryNames,
  onOpen,
}: ScanTaskColumnOptions): TableColumnsType<ScanTask> {
  return [
    {
      title: 'Task',
      key: 'name',
      fixed: 'left',
      width: 180,
      render: (_value, task) => (
        <Flex vertical align="flex-start" gap={2}>
          <Typography.Link strong onClick={() => onOpen(task)} ellipsis title={task.name}>
            {task.name}
          </Typography.Link>
          <span>
            <Tag>{scanTaskTypeLabels[task.type]}</Tag>
            <Typography.Text type="secondary">by {task.creator}</Typography.Text>
          </span>
        </Flex>
      ),
    },
    {
      title: 'Status',
      key: 'status',
      width: 110,
      render: (_value, task) => <ScanTaskStatusTag status={task.status} />,
    },
    {
      title: 'Progress',
      key: 'progress',
      width: 180,
      render: (_value, task) => (
        <Flex vertical>
          <ScanTaskProgress task={task} />
          <Typography.Text type="secondary">
            {formatCount(task.counts.total)} scans
            {task.counts.failed > 0 ? (
              <Typography.Text type="danger"> · {formatCount(task.counts.failed)} failed</Typography.Text>
            ) : null}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: 'Scope and settings',
      key: 'scope',
      width: 190,
      render: (_value, task) => {
        const scope = scanScopeLabel(task.scope, registryNames);
        const settings = `${riskTypesText(task.riskTypes)} · ${speedLimitText(task.speedLimit)}`;
        return (
          <Flex vertical>
            <Typography.Text ellipsis={{ tooltip: scope }}>{scope}</Typography.Text>
            <Typography.Text type="secondary" ellipsis={{ tooltip: settings }}>
              {settings}
            </Typography.Text>
          </Flex>
        );
      },
    },
    {
      title: 'Started',
      key: 'createdAt',
      width: 110,
      render: (_value, task) => <TimeCell value={task.createdAt} />,
    },
    {
      title: 'Finished',
      key: 'finishedAt',
      width: 110,
      render: (_value, task) => <TimeCell value={task.finishedAt} fallback="Not yet" />,
    },
    {
      title: 'Actions',
      key: 'actions',
      fixed: 'right',
      width: 150,
      render: (_value, task) => (
        <Flex gap={4}>
          <Button size="small" onClick={() => onOpen(task)} aria-label={`Details of ${task.name}`}>
            Details
          </Button>
          <StopScanTaskButton projectId={projectId} task={task} size="small" />
        </Flex>
      ),
    },
  ];
}
