import { Flex, List, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { severityLevels } from '../api/handling-types.ts';
import type { InventoryPackage, LayerEntry, VulnerabilityFinding } from '../api/report-types.ts';
import { formatBytes } from '../format/format-bytes.ts';
import { formatCount } from '../format/format-time.ts';
import { riskLevelColors } from '../format/risk-level.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { instructionText } from './layer-cell.tsx';
import type { ReportTabProps } from './report-tab-props.ts';
import { SectionQuery } from './section-query.tsx';
import { useReportSection } from './use-report-section.ts';

/** What a layer brought in, from the other sections (undefined while they load or when not scanned). */
interface LayerRow extends LayerEntry {
  readonly packages: readonly InventoryPackage[] | undefined;
  readonly vulnerabilities: readonly VulnerabilityFinding[] | undefined;
  readonly base: boolean;
}

function VulnerabilityCounts({
  findings,
}: {
  readonly findings: readonly VulnerabilityFinding[] | undefined;
}) {
  if (findings === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  if (findings.length === 0) return <Typography.Text type="secondary">None</Typography.Text>;
  return (
    <Flex gap={6} wrap className="risk-counts">
      {severityLevels.map((severity) => {
        const count = findings.filter((finding) => finding.severity === severity).length;
        return count === 0 ? null : (
          <span key={severity} style={{ color: riskLevelColors[severity] }}>
            {severity.slice(0, 1).toUpperCase()} {count}
          </span>
        );
      })}
    </Flex>
  );
}

const columns: TableColumnsType<LayerRow> = [
  {
    title: 'Layer',
    key: 'index',
    width: 110,
    render: (_value, layer) => (
      <Flex vertical gap={2} align="flex-start">
        <Typography.Text strong>Layer {layer.index}</Typography.Text>
        {layer.base ? <Tag color="purple">Base image</Tag> : null}
        {layer.fromCache ? (
          <Tag title="Analysed before: the blob was not downloaded again">From cache</Tag>
        ) : null}
      </Flex>
    ),
  },
  {
    title: 'Build instruction',
    key: 'createdBy',
    render: (_value, layer) =>
      layer.createdBy ? (
        <Typography.Paragraph
          className="mono"
          style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}
          ellipsis={{ rows: 3, expandable: 'collapsible' }}
        >
          {instructionText(layer.createdBy)}
        </Typography.Paragraph>
      ) : (
        <Typography.Text type="secondary">Not recorded</Typography.Text>
      ),
  },
  {
    title: 'Size',
    key: 'size',
    width: 130,
    render: (_value, layer) => (
      <Flex vertical gap={2}>
        <span>{formatBytes(layer.size)}</span>
        <Typography.Text type="secondary">{formatBytes(layer.uncompressedSize)} unpacked</Typography.Text>
      </Flex>
    ),
  },
  {
    title: 'Files',
    key: 'files',
    width: 150,
    render: (_value, layer) =>
      layer.stats ? (
        <Flex vertical gap={2}>
          <span>
            {formatCount(layer.stats.files ?? 0)} files, {formatBytes(layer.stats.totalBytes ?? 0)}
          </span>
          {layer.stats.whiteouts ? (
            <Typography.Text type="secondary">deletes {formatCount(layer.stats.whiteouts)}</Typography.Text>
          ) : null}
        </Flex>
      ) : (
        '—'
      ),
  },
  {
    title: 'Packages',
    key: 'packages',
    width: 90,
    align: 'right',
    render: (_value, layer) => (layer.packages === undefined ? '—' : formatCount(layer.packages.length)),
  },
  {
    title: 'Vulnerabilities',
    key: 'vulnerabilities',
    width: 140,
    render: (_value, layer) => <VulnerabilityCounts findings={layer.vulnerabilities} />,
  },
];

/** A layer unfolded: the packages it installed and its largest and special files. */
function LayerDetail({ layer }: { readonly layer: LayerRow }) {
  const stats = layer.stats;
  return (
    <Flex gap={24} wrap align="flex-start">
      <div style={{ minWidth: 260, flex: 1 }}>
        <Typography.Text strong>Packages</Typography.Text>
        {layer.packages === undefined || layer.packages.length === 0 ? (
          <div>
            <Typography.Text type="secondary">None.</Typography.Text>
          </div>
        ) : (
          <List
            size="small"
            dataSource={[...layer.packages]}
            pagination={layer.packages.length > 10 ? { pageSize: 10, size: 'small' } : false}
            renderItem={(pkg) => (
              <List.Item>
                {pkg.name} <span className="mono">{pkg.version}</span> <Tag>{pkg.ecosystem}</Tag>
              </List.Item>
            )}
          />
        )}
      </div>
      <div style={{ minWidth: 260, flex: 1 }}>
        <Typography.Text strong>Largest files</Typography.Text>
        {(stats?.largest ?? []).length === 0 ? (
          <div>
            <Typography.Text type="secondary">None.</Typography.Text>
          </div>
        ) : (
          <List
            size="small"
            dataSource={[...(stats?.largest ?? [])].slice(0, 10)}
            renderItem={(file) => (
              <List.Item>
                <span className="mono">{file.path}</span> {formatBytes(file.size)}
              </List.Item>
            )}
          />
        )}
        {[...(stats?.setuid ?? []), ...(stats?.setgid ?? [])].length > 0 ? (
          <div>
            <Typography.Text strong>Setuid and setgid: </Typography.Text>
            <span className="mono">{[...(stats?.setuid ?? []), ...(stats?.setgid ?? [])].join(', ')}</span>
          </div>
        ) : null}
      </div>
    </Flex>
  );
}

/**
 * Layers (PRODUCT.md section 4): each layer's build instruction with what it brought in: its size,
 * files, packages and vulnerabilities, the base image's layers marked. Build steps that make no
 * layer (ENV, CMD, ...) are not layers and are not listed.
 */
export function LayersTab({
  projectId,
  imageId,
  result,
  baseLayers,
}: ReportTabProps & {
  readonly baseLayers: number;
}) {
  const section = useReportSection(projectId, imageId, 'layers', result);
  const software = useReportSection(projectId, imageId, 'software', result);
  const vulnerabilities = useReportSection(projectId, imageId, 'vulnerabilities', result);
  const packages = software.data?.packages;
  const findings = vulnerabilities.data?.scanned ? vulnerabilities.data.findings : undefined;
  return (
    <SectionQuery query={section} label="layers">
      {(data) =>
        data.layers.length === 0 ? (
          <EmptyState title="No layers" />
        ) : (
          <Table<LayerRow>
            rowKey="index"
            size="small"
            aria-label="Layers"
            columns={columns}
            pagination={false}
            dataSource={data.layers.map((layer) => ({
              ...layer,
              base: layer.index < baseLayers,
              packages: packages?.filter((pkg) => pkg.layer.index === layer.index),
              vulnerabilities: findings?.filter((finding) => finding.package.layer.index === layer.index),
            }))}
            expandable={{ expandedRowRender: (layer) => <LayerDetail layer={layer} /> }}
          />
        )
      }
    </SectionQuery>
  );
}
