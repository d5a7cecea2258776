import { Card, Flex } from 'antd';
import type { ScanTask } from '../api/task-types.ts';
import { donutOption } from '../charts/donut-option.ts';
import { EChart, type ChartOption } from '../charts/echart.tsx';
import { CountList } from '../overview/count-list.tsx';
import {
  countsOf,
  taskCountColors,
  taskCountLabels,
  taskCountParts,
  type TaskCountPart,
} from './scan-task-counts.ts';

/** Redrawn on every poll while the task runs. */
function chartOf(counts: Readonly<Record<TaskCountPart, number>>): ChartOption {
  return donutOption(
    taskCountParts.map((part) => ({
      name: taskCountLabels[part],
      value: counts[part],
      color: taskCountColors[part],
    })),
    { animate: false },
  );
}

/**
 * A task's image scans by outcome: a donut, with every count beside it (and the total and the
 * risky ones, which are not parts of the donut).
 */
export function ScanTaskCountsCard({ task }: { readonly task: ScanTask }) {
  const counts = countsOf(task);
  return (
    <Card size="small" title="Image scans by outcome" data-testid="scan-task-counts">
      <Flex gap={24} align="center">
        <div style={{ flex: 1, minWidth: 0 }}>
          {task.counts.total === 0 ? null : (
            <EChart option={chartOf(counts)} height={180} label="Image scans of the task by outcome" />
          )}
        </div>
        <Flex vertical gap={12}>
          <CountList
            label="Image scans by outcome"
            items={taskCountParts.map((part) => ({
              key: part,
              label: taskCountLabels[part],
              color: taskCountColors[part],
              count: counts[part],
            }))}
          />
          <CountList
            label="Totals"
            items={[
              { key: 'total', label: 'All image scans', color: 'transparent', count: task.counts.total },
              { key: 'risky', label: 'Found risks', color: 'transparent', count: task.counts.risky },
            ]}
          />
        </Flex>
      </Flex>
    </Card>
  );
}
