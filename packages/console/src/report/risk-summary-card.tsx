import { Card, Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { severityLevels } from '../api/handling-types.ts';
import type { RiskCounts } from '../api/image-types.ts';
import type { ImageOverview, StoredResult } from '../api/report-types.ts';
import { EChart, type ChartOption } from '../charts/echart.tsx';
import { horizontalBarFrame } from '../charts/horizontal-bars.ts';
import { riskLevelColors, riskLevelLabels } from '../format/risk-level.ts';
import { CountList, type CountItem } from '../overview/count-list.tsx';
import { EmptyState } from '../states/empty-state.tsx';
import { platformLabel } from './platform-label.ts';

const otherColor = '#597ef7';

function itemsOf(counts: RiskCounts): readonly CountItem[] {
  return [
    ...severityLevels.map((severity) => ({
      key: `vulnerability-${severity}`,
      label: `${riskLevelLabels[severity]} vulnerabilities`,
      color: riskLevelColors[severity],
      count: counts.vulnerability[severity],
    })),
    { key: 'secret', label: 'Sensitive information', color: otherColor, count: counts.secret },
    { key: 'malware', label: 'Malicious files', color: riskLevelColors.critical, count: counts.malware },
    { key: 'baseline', label: 'Baseline failures', color: otherColor, count: counts.baseline },
    { key: 'compliance', label: 'Compliance findings', color: otherColor, count: counts.compliance },
  ];
}

function chartOf(counts: RiskCounts): ChartOption {
  return {
    ...horizontalBarFrame(severityLevels.map((severity) => riskLevelLabels[severity])),
    series: [
      {
        type: 'bar',
        name: 'Open vulnerabilities',
        data: severityLevels.map((severity) => ({
          value: counts.vulnerability[severity],
          itemStyle: { color: riskLevelColors[severity] },
        })),
      },
    ],
  };
}

function sumCounts(results: readonly StoredResult[]): RiskCounts {
  const zero = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  return results.reduce<RiskCounts>(
    (sum, { riskCounts: counts }) => ({
      vulnerability: {
        critical: sum.vulnerability.critical + counts.vulnerability.critical,
        high: sum.vulnerability.high + counts.vulnerability.high,
        medium: sum.vulnerability.medium + counts.vulnerability.medium,
        low: sum.vulnerability.low + counts.vulnerability.low,
        unknown: sum.vulnerability.unknown + counts.vulnerability.unknown,
      },
      secret: sum.secret + counts.secret,
      malware: sum.malware + counts.malware,
      baseline: sum.baseline + counts.baseline,
      compliance: sum.compliance + counts.compliance,
    }),
    { vulnerability: zero, secret: 0, malware: 0, baseline: 0, compliance: 0 },
  );
}

const platformColumns: TableColumnsType<StoredResult> = [
  { title: 'Platform', key: 'platform', render: (_value, result) => platformLabel(result.platform) },
  {
    title: 'Risk',
    key: 'risk',
    render: (_value, result) => (
      <Tag color={riskLevelColors[result.riskLevel]}>{riskLevelLabels[result.riskLevel]}</Tag>
    ),
  },
  ...severityLevels.map((severity) => ({
    title: riskLevelLabels[severity],
    key: severity,
    align: 'right' as const,
    render: (_value: unknown, result: StoredResult) => result.riskCounts.vulnerability[severity],
  })),
  { title: 'Secrets', key: 'secret', align: 'right', render: (_value, result) => result.riskCounts.secret },
  { title: 'Malware', key: 'malware', align: 'right', render: (_value, result) => result.riskCounts.malware },
  {
    title: 'Baseline',
    key: 'baseline',
    align: 'right',
    render: (_value, result) => result.riskCounts.baseline,
  },
  {
    title: 'Compliance',
    key: 'compliance',
    align: 'right',
    render: (_value, result) => result.riskCounts.compliance,
  },
];

/**
 * The open findings of the image: every platform's together (the image's own counts, the sum of
 * its platforms' as the API keeps them), as a severity chart with the numbers beside it, and each
 * platform's on its own line when there are several.
 */
export function RiskSummaryCard({ overview }: { readonly overview: ImageOverview }) {
  const { image, platforms } = overview;
  const counts = image.riskCounts ?? (platforms.length > 0 ? sumCounts(platforms) : null);
  const several = platforms.length > 1;
  return (
    <Card
      title={several ? 'Open findings, all platforms together' : 'Open findings'}
      data-testid="risk-summary"
    >
      {counts === null ? (
        <EmptyState title="Not assessed yet" description="The counts appear once a scan has succeeded." />
      ) : (
        <>
          <Flex gap={24} align="center">
            <div style={{ flex: 1, minWidth: 0 }}>
              <EChart option={chartOf(counts)} height={180} label="Open vulnerabilities by severity" />
            </div>
            <CountList label="Open findings" items={itemsOf(counts)} />
          </Flex>
          {several ? (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                Per platform
              </Typography.Title>
              <Table<StoredResult>
                rowKey="id"
                size="small"
                pagination={false}
                columns={platformColumns}
                dataSource={[...platforms]}
                scroll={{ x: 'max-content' }}
                aria-label="Open findings per platform"
              />
            </>
          ) : null}
        </>
      )}
    </Card>
  );
}
