import { Table, type TableColumnsType } from 'antd';
import type { MonthlyUsage } from '../api/usage-types.ts';
import { formatMoney } from '../format/format-money.ts';
import { formatCount } from '../format/format-time.ts';
import { monthLabel } from './usage-months.ts';

const columns: TableColumnsType<MonthlyUsage> = [
  { title: 'Month (UTC)', key: 'month', render: (_value, usage) => monthLabel(usage.month) },
  {
    title: 'Repository scans',
    key: 'repositoryScans',
    align: 'right',
    render: (_value, usage) => formatCount(usage.repositoryScans),
  },
  {
    title: 'CI scans',
    key: 'ciScans',
    align: 'right',
    render: (_value, usage) => formatCount(usage.ciScans),
  },
  {
    title: 'Free quota used',
    key: 'freeUsed',
    align: 'right',
    render: (_value, usage) =>
      usage.freeQuota === 0 ? '—' : `${formatCount(usage.freeUsed)} of ${formatCount(usage.freeQuota)}`,
  },
  {
    title: 'Billable units',
    key: 'billedScans',
    align: 'right',
    render: (_value, usage) => formatCount(usage.billedScans),
  },
  {
    title: 'Amount',
    key: 'amount',
    align: 'right',
    render: (_value, usage) => <strong>{formatMoney(usage.amountMicros, usage.currency)}</strong>,
  },
];

/** The months as numbers, newest first: what the charts show, to read or copy. */
export function UsageTable({ months }: { readonly months: readonly MonthlyUsage[] }) {
  return (
    <Table<MonthlyUsage>
      rowKey="month"
      size="small"
      columns={columns}
      dataSource={[...months].reverse()}
      pagination={false}
      aria-label="Usage by month"
    />
  );
}
