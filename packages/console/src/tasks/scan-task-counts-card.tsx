import { Card, Flex } from 'antd';
import type { ScanTaskReply } from '../api/task-manager-types.ts';
import { EChart, type ChartOption } from '../charts/echart.tsx';
import { CountList } from '../overview/count-list.tsx';
import {
  countsOf,
  taskCountColors,
  taskCountLabels,
  taskCountParts,
  type TaskCountPart,
} from './scan-task-counts.ts';

function chartOf(counts: Readonly<Record<TaskCountPart, number>>): ChartOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    series: [
      {
        type: 'pie',
        radius: ['50%', '80%'],
        label: { show: false },
        // Redrawn on every poll: no animation, so a live task does not keep spinning.
        animation: false,
        data: taskCountParts
          .filter((part) => counts[part] > 0)
          .map((part) => ({
            name: taskCountLabels[part],
            value: counts[part],
            itemStyle: { color: taskCountColors[part] },
          })),
      },
    ],
  };
}

/**
 * A task's image scans by outcome: a donut, with every count beside it (and the total and the
 * risky ones, which are not parts of the donut).
 */
export function ScanTaskCountsCard({ task }: { readonly task: ScanTaskReply }) {
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
