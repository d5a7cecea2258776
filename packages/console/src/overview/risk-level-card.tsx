import { Card, Flex, Typography } from 'antd';
import { riskLevels } from '../api/image-types.ts';
import { EChart, type ChartOption } from '../charts/echart.tsx';
import { formatCount } from '../format/format-time.ts';
import {
  notAssessedColor,
  notAssessedLabel,
  riskLevelColors,
  riskLevelLabels,
} from '../format/risk-level.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { CountList, type CountItem } from './count-list.tsx';
import type { useRiskLevelCounts } from './use-risk-level-counts.ts';

function itemsOf(counts: Readonly<Record<string, number>>): readonly CountItem[] {
  return [
    ...riskLevels.map((level) => ({
      key: level,
      label: riskLevelLabels[level],
      color: riskLevelColors[level],
      count: counts[level] ?? 0,
    })),
    {
      key: 'not_assessed',
      label: notAssessedLabel,
      color: notAssessedColor,
      count: counts['not_assessed'] ?? 0,
    },
  ];
}

function chartOf(items: readonly CountItem[]): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 16, top: 8, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    // Horizontal bars: the level names read in full, most severe on top.
    yAxis: {
      type: 'category',
      inverse: true,
      data: items.map((item) => item.label),
      axisLabel: { interval: 0 },
    },
    xAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: 'Images',
        data: items.map((item) => ({ value: item.count, itemStyle: { color: item.color } })),
      },
    ],
  };
}

/** Images by risk level (the most severe open finding of each), as bars with the counts beside them. */
export function RiskLevelCard({ risk }: { readonly risk: ReturnType<typeof useRiskLevelCounts> }) {
  const data = risk.data;
  const items = data ? itemsOf(data.counts) : [];
  return (
    <Card title="Images by risk level" data-testid="risk-level-card">
      {risk.isError ? (
        <ErrorState error={risk.error} onRetry={() => void risk.refetch()} />
      ) : !data ? (
        <LoadingState />
      ) : data.total === 0 ? (
        <EmptyState title="No images yet" description="Risk levels appear once images are scanned." />
      ) : (
        <>
          <Flex gap={24} align="center">
            <div style={{ flex: 1, minWidth: 0 }}>
              <EChart option={chartOf(items)} height={220} label="Images by risk level" />
            </div>
            <CountList label="Images by risk level" items={items} />
          </Flex>
          {data.counted < data.total || data.totalIsLowerBound ? (
            <Typography.Text type="secondary">
              Counted over the {formatCount(data.counted)} riskiest of {formatCount(data.total)}
              {data.totalIsLowerBound ? '+' : ''} images.
            </Typography.Text>
          ) : null}
        </>
      )}
    </Card>
  );
}
