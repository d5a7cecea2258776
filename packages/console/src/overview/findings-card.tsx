import { Card, Flex, Segmented, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { severityLevels } from '../api/handling-types.ts';
import type { FindingCount } from '../api/overview-types.ts';
import type { RiskType } from '../api/task-types.ts';
import { EChart, type ChartOption } from '../charts/echart.tsx';
import { riskLevelColors, riskLevelLabels } from '../format/risk-level.ts';
import { formatCount } from '../format/format-time.ts';
import { riskTypeLabels } from '../format/risk-type.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import {
  countOf,
  findingMeasureHelp,
  findingMeasureLabels,
  findingMeasures,
  overviewRiskTypes,
  type FindingMeasure,
} from './finding-measures.ts';
import { PermissionNotice } from './permission-notice.tsx';
import type { useFindingOverview } from './use-finding-overview.ts';

function chartOf(counts: readonly FindingCount[], measure: FindingMeasure): ChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0 },
    grid: {
      left: 8,
      right: 16,
      top: 8,
      bottom: 32,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    // Horizontal bars, one per risk type, stacked by severity: the type names read in full.
    yAxis: {
      type: 'category',
      inverse: true,
      data: overviewRiskTypes.map((kind) => riskTypeLabels[kind]),
      axisLabel: { interval: 0 },
    },
    xAxis: { type: 'value', minInterval: 1 },
    series: severityLevels.map((severity) => ({
      type: 'bar',
      name: riskLevelLabels[severity],
      stack: 'severity',
      itemStyle: { color: riskLevelColors[severity] },
      data: overviewRiskTypes.map((kind) => countOf(counts, kind, severity, measure)),
    })),
  };
}

interface Row {
  readonly kind: RiskType;
  readonly counts: readonly FindingCount[];
}

function columnsOf(measure: FindingMeasure): TableColumnsType<Row> {
  const cell = (key: string, value: number) => (
    <span data-count={key} style={value === 0 ? { color: 'rgba(0, 0, 0, 0.35)' } : undefined}>
      {formatCount(value)}
    </span>
  );
  return [
    { title: 'Risk type', key: 'kind', render: (_value, row) => riskTypeLabels[row.kind] },
    ...severityLevels.map((severity) => ({
      title: riskLevelLabels[severity],
      key: severity,
      align: 'right' as const,
      render: (_value: unknown, row: Row) =>
        cell(`${row.kind}-${severity}`, countOf(row.counts, row.kind, severity, measure)),
    })),
    {
      title: 'Total',
      key: 'total',
      align: 'right',
      render: (_value, row) =>
        cell(
          `${row.kind}-total`,
          severityLevels.reduce((sum, severity) => sum + countOf(row.counts, row.kind, severity, measure), 0),
        ),
    },
  ];
}

/**
 * Findings by risk type and severity: stacked bars with the table of numbers beside them, as
 * distinct findings or as image-findings (how widespread they are).
 */
export function FindingsCard({ overview }: { readonly overview: ReturnType<typeof useFindingOverview> }) {
  const [measure, setMeasure] = useState<FindingMeasure>('findings');
  const { access, query } = overview;
  const counts = query.data?.counts;
  const option = useMemo(() => (counts ? chartOf(counts, measure) : undefined), [counts, measure]);
  const empty = counts !== undefined && counts.every((count) => count.findings === 0);
  return (
    <Card
      title="Findings by risk type and severity"
      data-testid="findings-card"
      extra={
        <Tooltip title={findingMeasureHelp[measure]}>
          <span>
            <Segmented<FindingMeasure>
              size="small"
              aria-label="Count findings as"
              value={measure}
              onChange={setMeasure}
              options={findingMeasures.map((value) => ({ value, label: findingMeasureLabels[value] }))}
            />
          </span>
        </Tooltip>
      }
    >
      {!access.allowed ? (
        <PermissionNotice reason={access.reason} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : !counts || !option ? (
        <LoadingState />
      ) : empty ? (
        <EmptyState title="No findings" description="Findings appear here once images are scanned." />
      ) : (
        <Flex vertical gap={8}>
          <Flex gap={24} align="center" wrap>
            <div style={{ flex: '1 1 360px', minWidth: 0 }}>
              <EChart
                option={option}
                height={260}
                label={`${findingMeasureLabels[measure]} by risk type and severity`}
              />
            </div>
            <Table<Row>
              style={{ flex: '1 1 420px' }}
              size="small"
              rowKey="kind"
              pagination={false}
              aria-label={`${findingMeasureLabels[measure]} by risk type and severity`}
              columns={columnsOf(measure)}
              dataSource={overviewRiskTypes.map((kind) => ({ kind, counts }))}
            />
          </Flex>
          <Typography.Text type="secondary">
            {findingMeasureHelp[measure]} Counted over the current results of live images, handled (ignored or
            allowlisted) findings included.
          </Typography.Text>
        </Flex>
      )}
    </Card>
  );
}
