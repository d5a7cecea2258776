import { Card, Flex, Segmented, Select, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { severityLevels } from '../api/handling-types.ts';
import type { TrendDay } from '../api/overview-types.ts';
import type { RiskType } from '../api/task-types.ts';
import { EChart, type ChartOption } from '../charts/echart.tsx';
import { formatCount } from '../format/format-time.ts';
import { riskLevelColors, riskLevelLabels } from '../format/risk-level.ts';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { riskTypeLabels } from '../format/risk-type.ts';
import { CountList } from './count-list.tsx';
import {
  countOf,
  findingMeasureHelp,
  findingMeasureLabels,
  findingMeasures,
  overviewRiskTypes,
  type FindingMeasure,
} from './finding-measures.ts';
import { PermissionNotice } from './permission-notice.tsx';
import { dayLabel, trendAxis, type TrendAxis } from './trend-days.ts';
import { useFindingTrend } from './use-finding-trend.ts';

/** The ranges offered, in days (the API accepts up to 366). */
const trendRanges = [30, 90, 365] as const;
type TrendRange = (typeof trendRanges)[number];

// Stacked bars per day (the console's chart kit has bars and pies; a line would need ECharts'
// LineChart registered in charts/echart.tsx). Unrecorded days are empty slots on the axis.
function chartOf(axis: TrendAxis, kind: RiskType, measure: FindingMeasure): ChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0 },
    grid: { left: 48, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', data: axis.days.map((day) => dayLabel(day)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: severityLevels.map((severity) => ({
      type: 'bar',
      name: riskLevelLabels[severity],
      stack: 'severity',
      barMaxWidth: 32,
      itemStyle: { color: riskLevelColors[severity] },
      data: axis.recorded.map((day) => (day ? countOf(day.counts, kind, severity, measure) : null)),
    })),
  };
}

/** A recorded day's count of one risk type, all severities together. */
function totalOf(recorded: TrendDay, kind: RiskType, measure: FindingMeasure): number {
  return severityLevels.reduce((sum, severity) => sum + countOf(recorded.counts, kind, severity, measure), 0);
}

function signed(value: number): string {
  return value > 0 ? `+${formatCount(value)}` : formatCount(value);
}

/**
 * Findings over time: one risk type's counts per UTC day, stacked by severity, with today's
 * numbers beside the chart and the change over the range. It says where the record starts: the
 * service keeps a day's counts from the day it first ran, and cannot rebuild earlier ones.
 */
export function TrendCard({ projectId }: { readonly projectId: string }) {
  const [range, setRange] = useState<TrendRange>(30);
  const [kind, setKind] = useState<RiskType>('vulnerability');
  const [measure, setMeasure] = useState<FindingMeasure>('findings');
  const { access, query } = useFindingTrend(projectId, range);
  const trend = query.data;
  const axis = useMemo(() => (trend ? trendAxis(trend) : undefined), [trend]);
  const option = useMemo(() => (axis ? chartOf(axis, kind, measure) : undefined), [axis, kind, measure]);
  const first = trend?.days[0];
  const latest = trend?.days.at(-1);
  return (
    <Card title="Findings over time" data-testid="trend-card">
      {!access.allowed ? (
        <PermissionNotice reason={access.reason} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : !trend || !axis || !option ? (
        <LoadingState />
      ) : (
        <Flex vertical gap={12}>
          <Flex gap={8} wrap role="group" aria-label="Trend settings">
            <Select<RiskType>
              size="small"
              aria-label="Risk type"
              style={{ width: 200 }}
              value={kind}
              onChange={setKind}
              options={overviewRiskTypes.map((value) => ({ value, label: riskTypeLabels[value] }))}
            />
            <Segmented<FindingMeasure>
              size="small"
              aria-label="Count findings as"
              value={measure}
              onChange={setMeasure}
              options={findingMeasures.map((value) => ({ value, label: findingMeasureLabels[value] }))}
            />
            <Segmented<TrendRange>
              size="small"
              aria-label="Days shown"
              value={range}
              onChange={setRange}
              options={trendRanges.map((value) => ({ value, label: `${value} days` }))}
            />
          </Flex>
          <Flex gap={24} align="center" wrap>
            <div style={{ flex: '1 1 480px', minWidth: 0 }}>
              <EChart
                option={option}
                height={260}
                label={`${riskTypeLabels[kind]}: ${findingMeasureLabels[measure].toLowerCase()} per day, by severity`}
              />
            </div>
            <Flex vertical gap={8} style={{ minWidth: 200 }}>
              <Typography.Text strong>
                {latest ? `${dayLabel(latest.day, 'long')} (today)` : 'Today'}
              </Typography.Text>
              <CountList
                label={`${riskTypeLabels[kind]} today`}
                items={severityLevels.map((severity) => ({
                  key: `trend-${severity}`,
                  label: riskLevelLabels[severity],
                  color: riskLevelColors[severity],
                  count: latest ? countOf(latest.counts, kind, severity, measure) : 0,
                }))}
              />
              {first && latest && first.day !== latest.day ? (
                <Typography.Text data-testid="trend-change">
                  {signed(totalOf(latest, kind, measure) - totalOf(first, kind, measure))} since{' '}
                  {dayLabel(first.day, 'long')}
                </Typography.Text>
              ) : null}
            </Flex>
          </Flex>
          <Typography.Text type="secondary" data-testid="trend-since">
            {trend.firstRecordedDay === null
              ? 'Nothing recorded yet.'
              : `Recorded once a day (UTC days) since ${dayLabel(trend.firstRecordedDay, 'long')}, when Drydock first counted this project's findings; earlier days cannot be rebuilt, and days the service did not run are blank. Today's counts are current.`}{' '}
            {findingMeasureHelp[measure]}
          </Typography.Text>
        </Flex>
      )}
    </Card>
  );
}
