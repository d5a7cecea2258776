import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, Row, Segmented } from 'antd';
import { useMemo, useState } from 'react';
import { EChart } from '../charts/echart.tsx';
import { useCurrentProjectId } from '../shell/use-project-id.ts';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';
import { ThisMonthCard } from '../usage/this-month-card.tsx';
import { billingChart, scansChart } from '../usage/usage-charts.ts';
import { recentMonths, usageMonthSpans, type UsageMonthSpan } from '../usage/usage-months.ts';
import { UsageTable } from '../usage/usage-table.tsx';
import { useUsageMonths } from '../usage/use-usage-months.ts';

/**
 * Usage (PRODUCT.md section 7): this month's scans, free quota and amount, then the past months as
 * bar charts (scans by source; free and billable units with the amount) and as a table.
 */
export function UsagePage() {
  const projectId = useCurrentProjectId();
  const [span, setSpan] = useState<UsageMonthSpan>(12);
  // The month list is fixed per visit and span, so the queries keep their keys between renders.
  const months = useMemo(() => recentMonths(span), [span]);
  const usage = useUsageMonths(projectId, months);
  const current = usage.months?.at(-1);
  const scans = useMemo(() => (usage.months ? scansChart(usage.months) : undefined), [usage.months]);
  const billing = useMemo(() => (usage.months ? billingChart(usage.months) : undefined), [usage.months]);

  return (
    <PageFrame
      title="Usage"
      description="Billable units per UTC month: one per successful scan of an image platform, after the monthly free quota."
      actions={
        <>
          <Segmented<UsageMonthSpan>
            aria-label="Months shown"
            value={span}
            onChange={setSpan}
            options={usageMonthSpans.map((value) => ({ value, label: `${value} months` }))}
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={usage.refetch}
            loading={usage.isFetching && usage.months !== undefined}
          >
            Refresh
          </Button>
        </>
      }
    >
      {usage.error !== undefined ? (
        <ErrorState error={usage.error} onRetry={usage.refetch} />
      ) : !usage.months || !current || !scans || !billing ? (
        <LoadingState label="Loading usage…" />
      ) : (
        <Flex vertical gap={16}>
          <ThisMonthCard usage={current} />
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <Card title="Scans per month" data-testid="usage-scans-chart">
                <EChart option={scans} height={260} label="Scans per month by source" />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card title="Free and billable units per month" data-testid="usage-billing-chart">
                <EChart
                  option={billing}
                  height={260}
                  label="Free and billable units per month, with the amount under each month"
                />
              </Card>
            </Col>
          </Row>
          <Card title="By month">
            <UsageTable months={usage.months} />
          </Card>
        </Flex>
      )}
    </PageFrame>
  );
}
