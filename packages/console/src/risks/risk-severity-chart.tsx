import { Flex, Typography } from 'antd';
import { useMemo } from 'react';
import type { SeverityLevel } from '../api/handling-types.ts';
import { EChart, type ChartOption } from '../charts/echart.tsx';
import { riskLevelColors, riskLevelLabels } from '../format/risk-level.ts';
import { CountList, type CountItem } from '../overview/count-list.tsx';

/**
 * A view's distinct findings per severity (under its other filters) as bars, the numbers beside
 * them; a number narrows the view to that severity.
 */
export function RiskSeverityChart({
  label,
  severities,
  counts,
  onPick,
}: {
  /** "Vulnerabilities", for the chart's accessible name. */
  readonly label: string;
  readonly severities: readonly SeverityLevel[];
  readonly counts: Readonly<Partial<Record<SeverityLevel, number>>>;
  readonly onPick: (severity: SeverityLevel) => void;
}) {
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: {
        left: 8,
        right: 16,
        top: 8,
        bottom: 8,
        outerBoundsMode: 'same',
        outerBoundsContain: 'axisLabel',
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: severities.map((severity) => riskLevelLabels[severity]),
        axisLabel: { interval: 0 },
      },
      xAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          name: 'Findings',
          data: severities.map((severity) => ({
            value: counts[severity] ?? 0,
            itemStyle: { color: riskLevelColors[severity] },
          })),
        },
      ],
    }),
    [severities, counts],
  );
  const items: readonly CountItem[] = severities.map((severity) => ({
    key: severity,
    label: riskLevelLabels[severity],
    color: riskLevelColors[severity],
    count: counts[severity] ?? 0,
    link: (content) => (
      <Typography.Link
        onClick={() => onPick(severity)}
        title={`Show only ${riskLevelLabels[severity].toLowerCase()} findings`}
        style={{ display: 'block', color: 'inherit' }}
      >
        {content}
      </Typography.Link>
    ),
  }));
  return (
    <Flex gap={24} align="center" style={{ marginBottom: 16 }} data-testid="severity-chart">
      <div style={{ flex: 1, minWidth: 0, maxWidth: 640 }}>
        <EChart option={option} height={150} label={`${label} by severity`} />
      </div>
      <CountList label={`${label} by severity`} items={items} />
    </Flex>
  );
}
