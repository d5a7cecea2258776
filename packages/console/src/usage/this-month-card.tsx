import { Card, Col, Progress, Row, Statistic, Typography } from 'antd';
import type { MonthlyUsage } from '../api/usage-types.ts';
import { formatMoney } from '../format/format-money.ts';
import { formatCount } from '../format/format-time.ts';
import { monthLabel } from './usage-months.ts';

/**
 * The current month at a glance: scans by source, how much of the free quota is used, the
 * billable units and the amount so far. Each figure carries `data-usage` for tests and scripts.
 */
export function ThisMonthCard({ usage }: { readonly usage: MonthlyUsage }) {
  const scans = usage.repositoryScans + usage.ciScans;
  return (
    <Card title={`This month: ${monthLabel(usage.month)} (UTC)`} data-testid="usage-this-month">
      <Row gutter={[24, 16]}>
        <Col xs={12} md={4}>
          <Statistic
            title="Repository scans"
            value={formatCount(usage.repositoryScans)}
            valueRender={(node) => <span data-usage="repositoryScans">{node}</span>}
          />
        </Col>
        <Col xs={12} md={4}>
          <Statistic
            title="CI scans"
            value={formatCount(usage.ciScans)}
            valueRender={(node) => <span data-usage="ciScans">{node}</span>}
          />
        </Col>
        <Col xs={24} md={6}>
          <Statistic
            title="Free quota used"
            value={
              usage.freeQuota === 0
                ? 'No free quota'
                : `${formatCount(usage.freeUsed)} of ${formatCount(usage.freeQuota)}`
            }
            valueRender={(node) => <span data-usage="freeUsed">{node}</span>}
          />
          {usage.freeQuota === 0 ? null : (
            <Progress
              percent={Math.round((usage.freeUsed / usage.freeQuota) * 100)}
              size="small"
              status={usage.freeUsed >= usage.freeQuota ? 'exception' : 'normal'}
              aria-label="Free quota used"
            />
          )}
        </Col>
        <Col xs={12} md={4}>
          <Statistic
            title="Billable units"
            value={formatCount(usage.billedScans)}
            valueRender={(node) => <span data-usage="billedScans">{node}</span>}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title="Amount so far"
            value={formatMoney(usage.amountMicros, usage.currency)}
            valueRender={(node) => <span data-usage="amount">{node}</span>}
          />
          <Typography.Text type="secondary">
            {formatCount(scans)} successful {scans === 1 ? 'scan' : 'scans'} this month
          </Typography.Text>
        </Col>
      </Row>
    </Card>
  );
}
