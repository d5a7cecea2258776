import { ReloadOutlined } from '@ant-design/icons';
import { useIsFetching, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Row, Statistic } from 'antd';
import { queryKeys } from '../api/query-keys.ts';
import { useScanStatusCounts } from '../overview/use-scan-status-counts.ts';
import { useRiskLevelCounts } from '../overview/use-risk-level-counts.ts';
import { DatabaseCard } from '../overview/database-card.tsx';
import { FindingsCard } from '../overview/findings-card.tsx';
import { RiskLevelCard } from '../overview/risk-level-card.tsx';
import { ScanStatusCard } from '../overview/scan-status-card.tsx';
import { TopImagesCard } from '../overview/top-images-card.tsx';
import { TopPackagesCard } from '../overview/top-packages-card.tsx';
import { TrendCard } from '../overview/trend-card.tsx';
import { UsageMonthCard } from '../overview/usage-month-card.tsx';
import { useFindingOverview } from '../overview/use-finding-overview.ts';
import { useCurrentProjectId } from '../shell/use-project-id.ts';
import { PageFrame } from '../states/page-frame.tsx';

/**
 * Overview (issue 9): the project's images by scan status and by risk level, findings by risk
 * type and severity, their trend, the most vulnerable images and packages, this month's usage and
 * the vulnerability database's age; charts first, the numbers beside them. Cards whose data the
 * user's role may not read say so with the reason instead of failing.
 */
export function OverviewPage() {
  const projectId = useCurrentProjectId();
  const queryClient = useQueryClient();
  const fetching = useIsFetching({ queryKey: queryKeys.project(projectId) }) > 0;
  const status = useScanStatusCounts(projectId);
  const risk = useRiskLevelCounts(projectId);
  const findings = useFindingOverview(projectId);
  const counts = status.counts;
  const total = counts ? Object.values(counts).reduce((sum, count) => sum + count, 0) : undefined;
  const atRisk = risk.data ? risk.data.counts.critical + risk.data.counts.high : undefined;
  return (
    <PageFrame
      title="Overview"
      description="The security state of this project's images."
      actions={
        <Button
          icon={<ReloadOutlined />}
          loading={fetching}
          onClick={() => void queryClient.invalidateQueries({ queryKey: queryKeys.project(projectId) })}
        >
          Refresh
        </Button>
      }
    >
      <Row gutter={[16, 16]}>
        <Col span={6}>
          <Card>
            <Statistic
              title="Images"
              value={total ?? '—'}
              suffix={status.atLeast.size > 0 ? '+' : undefined}
              loading={total === undefined && status.error === undefined}
            />
          </Card>
        </Col>
        <Col span={6}>
          <Card>
            <Statistic
              title="Scanned"
              value={counts?.succeeded ?? '—'}
              suffix={status.atLeast.has('succeeded') ? '+' : undefined}
              loading={!counts && status.error === undefined}
            />
          </Card>
        </Col>
        <Col span={6}>
          <Card>
            <Statistic
              title="Failed scans"
              value={counts?.failed ?? '—'}
              suffix={status.atLeast.has('failed') ? '+' : undefined}
              loading={!counts && status.error === undefined}
              styles={{ content: { color: counts && counts.failed > 0 ? '#cf1322' : undefined } }}
            />
          </Card>
        </Col>
        <Col span={6}>
          <Card>
            <Statistic
              title="Critical or high risk"
              value={atRisk ?? '—'}
              loading={risk.isPending}
              styles={{ content: { color: atRisk ? '#cf1322' : undefined } }}
            />
          </Card>
        </Col>
        <Col span={12}>
          <ScanStatusCard projectId={projectId} status={status} />
        </Col>
        <Col span={12}>
          <RiskLevelCard risk={risk} />
        </Col>
        <Col span={24}>
          <FindingsCard overview={findings} />
        </Col>
        <Col span={24}>
          <TrendCard projectId={projectId} />
        </Col>
        <Col xs={24} xl={12}>
          <TopImagesCard projectId={projectId} overview={findings} />
        </Col>
        <Col xs={24} xl={12}>
          <TopPackagesCard projectId={projectId} overview={findings} />
        </Col>
        <Col xs={24} xl={16}>
          <UsageMonthCard projectId={projectId} />
        </Col>
        <Col xs={24} xl={8}>
          <DatabaseCard />
        </Col>
      </Row>
    </PageFrame>
  );
}
