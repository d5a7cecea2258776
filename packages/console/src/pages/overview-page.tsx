import { Alert, Card, Col, Row, Statistic } from 'antd';
import { useScanStatusCounts } from '../overview/use-scan-status-counts.ts';
import { useRiskLevelCounts } from '../overview/use-risk-level-counts.ts';
import { DatabaseCard } from '../overview/database-card.tsx';
import { RiskLevelCard } from '../overview/risk-level-card.tsx';
import { ScanStatusCard } from '../overview/scan-status-card.tsx';
import { useCurrentProjectId } from '../shell/use-project-id.ts';
import { PageFrame } from '../states/page-frame.tsx';

/**
 * Overview (first version): the project's images by scan status and by risk level, charts first
 * with the numbers beside them, and the vulnerability database's age. The rest of the overview of
 * issue 9 (findings by type and severity, trend, top images and packages, usage) is listed as
 * not built yet rather than shown with made-up numbers.
 */
export function OverviewPage() {
  const projectId = useCurrentProjectId();
  const status = useScanStatusCounts(projectId);
  const risk = useRiskLevelCounts(projectId);
  const counts = status.counts;
  const total = counts ? Object.values(counts).reduce((sum, count) => sum + count, 0) : undefined;
  const atRisk = risk.data ? risk.data.counts.critical + risk.data.counts.high : undefined;
  return (
    <PageFrame title="Overview" description="The security state of this project's images.">
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
        <Col span={8}>
          <DatabaseCard />
        </Col>
        <Col span={16}>
          <Alert
            type="info"
            showIcon
            title="Not built yet on this page"
            description="Findings by risk type and severity, the trend of findings over time, the top vulnerable images and packages, and this month's usage."
          />
        </Col>
      </Row>
    </PageFrame>
  );
}
