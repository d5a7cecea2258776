import { Card, Descriptions, Flex, List, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { severityLevels } from '../api/handling-types.ts';
import type { BaseImage, FindingCounts } from '../api/report-types.ts';
import { riskLevelColors, riskLevelLabels } from '../format/risk-level.ts';
import { HandlingStateTag } from '../handling/handling-state-tag.tsx';
import { EmptyState } from '../states/empty-state.tsx';
import type { ReportTabProps } from './report-tab-props.ts';
import { SectionQuery } from './section-query.tsx';
import { SeverityTag } from './severity-tag.tsx';
import { useReportSection } from './use-report-section.ts';
import {
  compareVulnerabilities,
  vulnerabilityRows,
  type VulnerabilityRow,
} from './vulnerability-columns.tsx';

const originRows = [
  ['vulnerabilities', 'Vulnerabilities'],
  ['secrets', 'Sensitive information'],
  ['malware', 'Malicious files'],
  ['compliance', 'Software compliance'],
] as const;

const addedByLabels: Readonly<Record<string, string>> = {
  marked: 'Marked as a base image by a user',
  catalogued: 'Catalogued by reference',
};

function SeverityCounts({ counts }: { readonly counts: Partial<FindingCounts> | undefined }) {
  if (!counts) return <Typography.Text type="secondary">unknown</Typography.Text>;
  return (
    <Flex gap={4} wrap>
      {severityLevels.map((severity) => (
        <Tag key={severity} color={(counts[severity] ?? 0) > 0 ? riskLevelColors[severity] : undefined}>
          {riskLevelLabels[severity]} {counts[severity] ?? 0}
        </Tag>
      ))}
    </Flex>
  );
}

const baseVulnerabilityColumns: TableColumnsType<VulnerabilityRow> = [
  {
    title: 'Advisory',
    key: 'id',
    render: (_value, finding) => <Typography.Text strong>{finding.id}</Typography.Text>,
  },
  {
    title: 'Severity',
    key: 'severity',
    width: 100,
    render: (_value, finding) => <SeverityTag severity={finding.severity} />,
  },
  {
    title: 'Package',
    key: 'package',
    render: (_value, finding) => `${finding.package.name} ${finding.installedVersion}`,
  },
  {
    title: 'Layer',
    key: 'layer',
    width: 90,
    render: (_value, finding) => `Layer ${finding.package.layer.index}`,
  },
  {
    title: 'Handling',
    key: 'handling',
    width: 140,
    render: (_value, finding) => <HandlingStateTag state={finding.handling} />,
  },
];

function BaseVulnerabilities({
  projectId,
  imageId,
  result,
  layers,
}: ReportTabProps & {
  readonly layers: number;
}) {
  const section = useReportSection(projectId, imageId, 'vulnerabilities', result);
  return (
    <Card size="small" title="Vulnerabilities that come from the base image">
      <SectionQuery query={section} label="vulnerabilities">
        {(data) => {
          const fromBase = data.findings.filter((finding) => finding.package.layer.index < layers);
          if (!data.scanned)
            return <Typography.Text type="secondary">Vulnerabilities were not scanned.</Typography.Text>;
          return (
            <Table<VulnerabilityRow>
              rowKey="key"
              size="small"
              aria-label="Vulnerabilities from the base image"
              columns={baseVulnerabilityColumns}
              dataSource={[...vulnerabilityRows([...fromBase].sort(compareVulnerabilities))]}
              pagination={{ defaultPageSize: 10, hideOnSinglePage: true }}
              locale={{ emptyText: 'None: every vulnerability comes from the image’s own layers.' }}
            />
          );
        }}
      </SectionQuery>
    </Card>
  );
}

function BaseImageContent({
  baseImage,
  ...rest
}: ReportTabProps & {
  readonly baseImage: BaseImage;
}) {
  const platform = baseImage.platform
    ? [baseImage.platform.os, baseImage.platform.architecture, baseImage.platform.variant]
        .filter(Boolean)
        .join('/')
    : undefined;
  const os = baseImage.os
    ? [baseImage.os.id ?? baseImage.os.family, baseImage.os.version].filter(Boolean).join(' ')
    : undefined;
  const findings = baseImage.findings ?? {};
  return (
    <Flex vertical gap={16}>
      <Card size="small" title="Base image" data-testid="base-image">
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'name', label: 'Image', children: `${baseImage.name ?? '?'}:${baseImage.tag ?? '?'}` },
            { key: 'platform', label: 'Platform', children: platform ?? '—' },
            { key: 'os', label: 'Operating system', children: os ?? '—' },
            {
              key: 'layers',
              label: 'Layers from the base',
              children: baseImage.wholeImage
                ? `all ${baseImage.layers ?? 0} (the image is the base image itself)`
                : `the bottom ${baseImage.layers ?? 0}`,
            },
            {
              key: 'addedBy',
              label: 'Known as base image',
              children: addedByLabels[baseImage.addedBy ?? ''] ?? baseImage.addedBy ?? '—',
            },
            {
              key: 'digest',
              label: 'Digest',
              span: 'filled',
              children: <span className="mono">{baseImage.digest ?? '—'}</span>,
            },
          ]}
        />
      </Card>
      <Card size="small" title="Where the findings come from">
        <Table
          rowKey="key"
          size="small"
          pagination={false}
          aria-label="Findings by origin"
          columns={[
            { title: 'Risk type', dataIndex: 'label', key: 'label' },
            { title: 'From the base image', dataIndex: 'base', key: 'base', align: 'right' },
            { title: 'From the image’s own layers', dataIndex: 'own', key: 'own', align: 'right' },
          ]}
          dataSource={originRows.map(([key, label]) => ({
            key,
            label,
            base: findings[key]?.base ?? 'not scanned',
            own: findings[key]?.own ?? 'not scanned',
          }))}
        />
        <Flex gap={8} align="center" style={{ marginTop: 12 }} wrap>
          <Typography.Text>Vulnerabilities from the base image, by severity:</Typography.Text>
          <SeverityCounts counts={baseImage.vulnerabilitiesFromBase} />
        </Flex>
      </Card>
      {(baseImage.betterTags ?? []).length > 0 ? (
        <Card size="small" title="Tags of the same base with fewer vulnerabilities">
          <List
            size="small"
            dataSource={[...(baseImage.betterTags ?? [])]}
            renderItem={(tag) => (
              <List.Item>
                <Flex gap={12} align="center" wrap>
                  <Typography.Text strong>
                    {baseImage.name}:{tag.tag}
                  </Typography.Text>
                  <SeverityCounts counts={tag.vulnerabilities} />
                </Flex>
              </List.Item>
            )}
          />
        </Card>
      ) : null}
      <BaseVulnerabilities {...rest} layers={baseImage.layers ?? 0} />
    </Flex>
  );
}

/**
 * Base image (PRODUCT.md section 4): the catalogued base image the image was built on, and which
 * findings come from its layers and which from the image's own.
 */
export function BaseImageTab({ projectId, imageId, result }: ReportTabProps) {
  const section = useReportSection(projectId, imageId, 'base-image', result);
  return (
    <SectionQuery query={section} label="the base image">
      {(data) =>
        data.baseImage ? (
          <BaseImageContent
            baseImage={data.baseImage}
            projectId={projectId}
            imageId={imageId}
            result={result}
          />
        ) : (
          <EmptyState
            title="No base image recognised"
            description="The base image is named when the image's bottom layers are those of a catalogued base image (the service's base-image catalogue)."
          />
        )
      }
    </SectionQuery>
  );
}
