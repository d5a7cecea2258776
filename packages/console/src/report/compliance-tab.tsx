import { Card, Col, Flex, Row, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import type { ComplianceFinding, ComplianceSection, LicenseSummary } from '../api/report-types.ts';
import { EChart, type ChartOption } from '../charts/echart.tsx';
import { CountList, type CountItem } from '../overview/count-list.tsx';
import { EmptyState } from '../states/empty-state.tsx';
import type { ReportTabProps } from './report-tab-props.ts';
import { NotScannedState, SectionQuery } from './section-query.tsx';
import { severityRank } from './severity.ts';
import { SeverityTag } from './severity-tag.tsx';
import { useReportSection } from './use-report-section.ts';

type FindingType = ComplianceFinding['type'];

const typeLabels: Readonly<Record<FindingType, string>> = {
  license: 'Licence',
  prohibited: 'Prohibited software',
  'end-of-life': 'End of life',
};

/** PRODUCT.md section 4's licence categories, from the most to the least encumbering. */
const licenseCategories: readonly (readonly [string, string, string])[] = [
  ['forbidden', 'Forbidden', '#a8071a'],
  ['restricted', 'Restricted', '#fa541c'],
  ['reciprocal', 'Reciprocal', '#fa8c16'],
  ['notice', 'Notice', '#1677ff'],
  ['permissive', 'Permissive', '#52c41a'],
  ['unencumbered', 'Unencumbered', '#13c2c2'],
  ['unknown', 'Unknown', '#8c8c8c'],
];

const columns: TableColumnsType<ComplianceFinding & { readonly key: string }> = [
  {
    title: 'Type',
    key: 'type',
    width: 150,
    render: (_value, finding) => <Tag>{typeLabels[finding.type]}</Tag>,
  },
  {
    title: 'Severity',
    key: 'severity',
    width: 96,
    sorter: (a, b) => severityRank(a.severity) - severityRank(b.severity),
    render: (_value, finding) => <SeverityTag severity={finding.severity} />,
  },
  {
    title: 'Software',
    key: 'software',
    width: 220,
    render: (_value, finding) => (
      <Flex vertical gap={2}>
        <Typography.Text strong>
          {finding.software} {finding.version ?? ''}
        </Typography.Text>
        {finding.ecosystem ? <Typography.Text type="secondary">{finding.ecosystem}</Typography.Text> : null}
      </Flex>
    ),
  },
  {
    title: 'Reason',
    key: 'reason',
    render: (_value, finding) => (
      <Flex vertical gap={2}>
        <span>{finding.reason}</span>
        <Typography.Text type="secondary" className="mono">
          {finding.rule}
        </Typography.Text>
      </Flex>
    ),
  },
  {
    title: 'Path',
    key: 'path',
    width: 220,
    render: (_value, finding) => (
      <Flex vertical gap={2}>
        <Typography.Text className="mono" ellipsis={{ tooltip: finding.path }}>
          {finding.path}
        </Typography.Text>
        {finding.layerIndex === undefined ? null : (
          <Typography.Text type="secondary">Layer {finding.layerIndex}</Typography.Text>
        )}
      </Flex>
    ),
  },
];

function Licenses({ licenses }: { readonly licenses: LicenseSummary }) {
  const byCategory = licenses.byCategory ?? {};
  const items: readonly CountItem[] = licenseCategories.map(([key, label, color]) => ({
    key: `license-${key}`,
    label,
    color,
    count: byCategory[key] ?? 0,
  }));
  const option: ChartOption = {
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'pie',
        name: 'Packages by licence category',
        radius: ['45%', '75%'],
        label: { show: false },
        data: items
          .filter((item) => item.count > 0)
          .map((item) => ({ name: item.label, value: item.count, itemStyle: { color: item.color } })),
      },
    ],
  };
  return (
    <Card size="small" title="Licences" style={{ marginBottom: 16 }}>
      <Flex gap={24} align="center" wrap>
        <div style={{ width: 200 }}>
          <EChart option={option} height={160} label="Packages by licence category" />
        </div>
        <CountList label="Packages by licence category" items={items} />
        <Typography.Text type="secondary">
          {licenses.packages ?? 0} packages; {licenses.undeclared ?? 0} declare no licence;{' '}
          {licenses.violations ?? 0} break the project's licence policy.
        </Typography.Text>
      </Flex>
    </Card>
  );
}

function ComplianceContent({ section }: { readonly section: ComplianceSection }) {
  const [types, setTypes] = useState<readonly FindingType[]>([]);
  const shown = section.findings.filter((finding) => types.length === 0 || types.includes(finding.type));
  return (
    <Row gutter={16}>
      <Col span={24}>{section.licenses ? <Licenses licenses={section.licenses} /> : null}</Col>
      <Col span={24}>
        {section.findings.length === 0 ? (
          <EmptyState
            title="No compliance findings"
            description="No forbidden licence, prohibited software or end-of-life system or runtime was found."
          />
        ) : (
          <>
            <Select
              mode="multiple"
              allowClear
              placeholder="Finding type"
              aria-label="Finding type"
              style={{ minWidth: 200, marginBottom: 12 }}
              value={[...types]}
              options={Object.entries(typeLabels).map(([value, label]) => ({ value, label }))}
              onChange={(values: FindingType[]) => setTypes(values)}
            />
            <Table
              rowKey="key"
              size="small"
              aria-label="Compliance findings"
              columns={columns}
              dataSource={shown.map((finding, index) => ({
                ...finding,
                key: `${finding.rule}|${finding.path}|${index}`,
              }))}
              pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
            />
          </>
        )}
      </Col>
    </Row>
  );
}

/** Software compliance (PRODUCT.md section 4): licences by category, prohibited software, end-of-life systems and runtimes. */
export function ComplianceTab({ projectId, imageId, result }: ReportTabProps) {
  const section = useReportSection(projectId, imageId, 'compliance', result);
  return (
    <SectionQuery query={section} label="software compliance">
      {(data) =>
        data.scanned ? (
          <ComplianceContent section={data} />
        ) : (
          <NotScannedState riskType="software compliance" />
        )
      }
    </SectionQuery>
  );
}
