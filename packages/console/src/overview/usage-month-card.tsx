import { useQuery } from '@tanstack/react-query';
import { Card, Flex, Statistic, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { usePermission } from '../access/use-permission.ts';
import { useApi } from '../api/api-context.tsx';
import type { MonthlyUsage } from '../api/usage-types.ts';
import { EChart, type ChartOption } from '../charts/echart.tsx';
import { formatMoney } from '../format/format-money.ts';
import { formatCount } from '../format/format-time.ts';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { usageColors } from '../usage/usage-charts.ts';
import { monthLabel, recentMonths } from '../usage/usage-months.ts';
import { usageQueryKeys } from '../usage/usage-query-keys.ts';
import { CountList, type CountItem } from './count-list.tsx';
import { PermissionNotice } from './permission-notice.tsx';

const freeLeftColor = '#d9f7be';

/** This month's units: the free quota used and left, and the billable units beyond it. */
function itemsOf(usage: MonthlyUsage): readonly CountItem[] {
  return [
    { key: 'usage-free-used', label: 'Free quota used', color: usageColors.free, count: usage.freeUsed },
    {
      key: 'usage-free-left',
      label: 'Free quota left',
      color: freeLeftColor,
      count: Math.max(usage.freeQuota - usage.freeUsed, 0),
    },
    { key: 'usage-billed', label: 'Billable units', color: usageColors.billed, count: usage.billedScans },
  ];
}

function chartOf(items: readonly CountItem[]): ChartOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c}' },
    series: [
      {
        type: 'pie',
        radius: ['50%', '80%'],
        label: { show: false },
        data: items
          .filter((item) => item.count > 0)
          .map((item) => ({ name: item.label, value: item.count, itemStyle: { color: item.color } })),
      },
    ],
  };
}

/**
 * Usage this month (UTC), with `billing:get` only: the free quota used and left and the billable
 * units as a donut with the numbers beside it, the scans and the amount so far. Without the
 * permission it says so instead of asking. Shares the usage page's cache entry for the month.
 */
export function UsageMonthCard({ projectId }: { readonly projectId: string }) {
  const api = useApi();
  const access = usePermission('billing:get');
  const [month = ''] = recentMonths(1);
  const usage = useQuery({
    queryKey: usageQueryKeys.month(projectId, month),
    queryFn: ({ signal }) =>
      api.get<MonthlyUsage>(`/projects/${encodeURIComponent(projectId)}/usage`, { month }, signal),
    enabled: access.allowed,
  });
  const data = usage.data;
  const items = useMemo(() => (data ? itemsOf(data) : undefined), [data]);
  const option = useMemo(() => (items ? chartOf(items) : undefined), [items]);
  return (
    <Card
      title={`Usage this month: ${monthLabel(month)} (UTC)`}
      data-testid="usage-month-card"
      extra={
        access.allowed ? (
          <Link to={`/projects/${encodeURIComponent(projectId)}/usage`}>All months</Link>
        ) : null
      }
    >
      {!access.allowed ? (
        <PermissionNotice reason={access.reason} />
      ) : usage.isError ? (
        <ErrorState error={usage.error} onRetry={() => void usage.refetch()} />
      ) : !data || !items || !option ? (
        <LoadingState minHeight={120} />
      ) : (
        <Flex gap={24} align="center" wrap>
          {items.some((item) => item.count > 0) ? (
            <div style={{ flex: '0 1 160px', minWidth: 120 }}>
              <EChart option={option} height={150} label="Free quota used and left, and billable units" />
            </div>
          ) : null}
          <CountList label="Units this month" items={items} />
          <Flex vertical gap={12}>
            <Flex vertical gap={2}>
              <Statistic
                title="Scans"
                value={formatCount(data.repositoryScans + data.ciScans)}
                valueRender={(node) => <span data-usage="scans">{node}</span>}
              />
              <Typography.Text type="secondary">
                {formatCount(data.repositoryScans)} of registry images, {formatCount(data.ciScans)} from CI
              </Typography.Text>
            </Flex>
            <Statistic
              title="Amount so far"
              value={formatMoney(data.amountMicros, data.currency)}
              valueRender={(node) => <span data-usage="amount">{node}</span>}
            />
          </Flex>
        </Flex>
      )}
    </Card>
  );
}
