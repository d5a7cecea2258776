import type { MonthlyUsage } from '../api/usage-types.ts';
import type { ChartOption } from '../charts/echart.tsx';
import { formatMoney } from '../format/format-money.ts';
import { formatCount } from '../format/format-time.ts';
import { monthLabel } from './usage-months.ts';

/** Chart colours: scans by where they came from, and the free quota against billable units. */
export const usageColors = {
  repository: '#1677ff',
  ci: '#13c2c2',
  free: '#95de64',
  billed: '#fa8c16',
} as const;

function axisValue(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** Scans per month, stacked by source (repository, CI). */
export function scansChart(months: readonly MonthlyUsage[]): ChartOption {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (value) => formatCount(axisValue(value)) },
    legend: { bottom: 0 },
    grid: { left: 48, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', data: months.map((month) => monthLabel(month.month, 'short')) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: 'Repository scans',
        stack: 'scans',
        itemStyle: { color: usageColors.repository },
        data: months.map((month) => month.repositoryScans),
      },
      {
        type: 'bar',
        name: 'CI scans',
        stack: 'scans',
        itemStyle: { color: usageColors.ci },
        data: months.map((month) => month.ciScans),
      },
    ],
  };
}

/**
 * Units per month, stacked by what the free quota covered and what was billed; each month's amount
 * stands on top of its bar (the amount follows the billable units, bar for bar).
 */
export function billingChart(months: readonly MonthlyUsage[]): ChartOption {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (value) => formatCount(axisValue(value)) },
    legend: { bottom: 0 },
    grid: { left: 48, right: 16, top: 28, bottom: 56 },
    xAxis: { type: 'category', data: months.map((month) => monthLabel(month.month, 'short')) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: 'Free quota',
        stack: 'units',
        itemStyle: { color: usageColors.free },
        data: months.map((month) => month.freeUsed),
      },
      {
        type: 'bar',
        name: 'Billable units',
        stack: 'units',
        itemStyle: { color: usageColors.billed },
        label: {
          show: true,
          position: 'top',
          formatter: ({ dataIndex }) => {
            const month = months[dataIndex];
            return month && month.amountMicros > 0 ? formatMoney(month.amountMicros, month.currency) : '';
          },
        },
        data: months.map((month) => month.billedScans),
      },
    ],
  };
}
