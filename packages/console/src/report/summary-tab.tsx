import { Alert, Card, Descriptions, Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { ConfigSummary, Diagnostic, StoredResult, SummarySection } from '../api/report-types.ts';
import { riskTypes } from '../api/task-types.ts';
import { formatCount, formatTime } from '../format/format-time.ts';
import { riskTypeLabels } from '../format/risk-type.ts';
import { ExportButton } from './export-button.tsx';
import type { ReportTabProps } from './report-tab-props.ts';
import { SectionQuery } from './section-query.tsx';
import { useReportSection } from './use-report-section.ts';

const diagnosticColumns: TableColumnsType<Diagnostic & { readonly key: string }> = [
  { title: 'Layer', key: 'layer', width: 70, render: (_value, entry) => entry.layerIndex },
  { title: 'Path', key: 'path', render: (_value, entry) => <span className="mono">{entry.path}</span> },
  { title: 'Code', key: 'code', width: 160, render: (_value, entry) => <Tag>{entry.code}</Tag> },
  { title: 'Message', key: 'message', render: (_value, entry) => entry.message },
];

function command(parts: readonly string[] | undefined): string | undefined {
  return parts === undefined || parts.length === 0 ? undefined : parts.join(' ');
}

function ConfigCard({ config }: { readonly config: ConfigSummary }) {
  const labels = Object.entries(config.labels ?? {});
  return (
    <Card size="small" title="Configuration">
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'user', label: 'User', children: config.user || 'root (no USER set)' },
          {
            key: 'entrypoint',
            label: 'Entrypoint',
            children: <span className="mono">{command(config.entrypoint) ?? '—'}</span>,
          },
          {
            key: 'cmd',
            label: 'Command',
            children: <span className="mono">{command(config.cmd) ?? '—'}</span>,
          },
          { key: 'workingDir', label: 'Working directory', children: config.workingDir || '—' },
          {
            key: 'ports',
            label: 'Exposed ports',
            children: (config.exposedPorts ?? []).join(', ') || 'None',
          },
          {
            key: 'healthcheck',
            label: 'Health check',
            children: <span className="mono">{command(config.healthcheck) ?? 'None'}</span>,
          },
          {
            key: 'env',
            label: 'Environment',
            children:
              (config.env ?? []).length === 0 ? (
                'None'
              ) : (
                <Flex vertical>
                  {(config.env ?? []).map((entry) => (
                    <span key={entry} className="mono">
                      {entry}
                    </span>
                  ))}
                </Flex>
              ),
          },
          {
            key: 'labels',
            label: 'Labels',
            children:
              labels.length === 0 ? (
                'None'
              ) : (
                <Flex vertical>
                  {labels.map(([name, value]) => (
                    <span key={name} className="mono">
                      {name}={value}
                    </span>
                  ))}
                </Flex>
              ),
          },
        ]}
      />
    </Card>
  );
}

function SummaryContent({
  summary,
  result,
}: {
  readonly summary: SummarySection;
  readonly result: StoredResult;
}) {
  const os = summary.os;
  const counts = summary.counts;
  const counted = (value: number | null) => (value === null ? 'not scanned' : formatCount(value));
  return (
    <Flex vertical gap={16}>
      <Card size="small" title="This platform's result" data-testid="platform-summary">
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            {
              key: 'os',
              label: 'Operating system',
              children: os
                ? (os.prettyName ?? [os.name, os.version].filter(Boolean).join(' '))
                : 'Not detected',
            },
            { key: 'created', label: 'Built', children: formatTime(summary.created, 'unknown') },
            { key: 'scanned', label: 'Scanned', children: formatTime(result.createdAt) },
            { key: 'duration', label: 'Scan took', children: `${(summary.durationMs / 1000).toFixed(1)} s` },
            {
              key: 'riskTypes',
              label: 'Looked for',
              span: 'filled',
              children: (
                <Flex gap={4} wrap>
                  {riskTypes.map((type) => (
                    <Tag key={type} color={result.riskTypes.includes(type) ? 'blue' : undefined}>
                      {riskTypeLabels[type]}
                      {result.riskTypes.includes(type) ? '' : ' (not scanned)'}
                    </Tag>
                  ))}
                </Flex>
              ),
            },
            {
              key: 'found',
              label: 'Found',
              span: 'filled',
              children: `${formatCount(counts.packages)} packages, ${counted(counts.vulnerabilities)} vulnerabilities, ${counted(counts.secrets)} secrets, ${counted(counts.malware)} malicious files, ${counted(counts.baselineFailed)} failed baseline checks, ${counted(counts.compliance)} compliance findings (handled ones included)`,
            },
            {
              key: 'manifest',
              label: 'Manifest digest',
              span: 'filled',
              children: <span className="mono">{summary.manifestDigest ?? result.digest}</span>,
            },
            {
              key: 'config',
              label: 'Config digest',
              span: 'filled',
              children: <span className="mono">{summary.configDigest ?? '—'}</span>,
            },
          ]}
        />
      </Card>
      {summary.config ? <ConfigCard config={summary.config} /> : null}
      {summary.diagnostics.length > 0 ? (
        <Card size="small" title="Diagnostics">
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title="Some files could not be read or analysed; findings in them may be missing."
          />
          <Table
            rowKey="key"
            size="small"
            columns={diagnosticColumns}
            dataSource={summary.diagnostics.map((entry, index) => ({ ...entry, key: String(index) }))}
            pagination={{ defaultPageSize: 10, hideOnSinglePage: true }}
          />
        </Card>
      ) : null}
    </Flex>
  );
}

/** A platform's summary: OS, configuration, what the scan looked for and found, diagnostics; and the whole report's export. */
export function SummaryTab({ projectId, imageId, result }: ReportTabProps) {
  const section = useReportSection(projectId, imageId, 'summary', result);
  return (
    <>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">Export the whole report (every platform):</Typography.Text>
        <ExportButton
          projectId={projectId}
          label="JSON"
          testId="export-report-json"
          request={{ kind: 'image', format: 'json', filter: { imageId } }}
        />
        <ExportButton
          projectId={projectId}
          label="CSV (vulnerabilities)"
          testId="export-report-csv"
          request={{ kind: 'image', format: 'csv', filter: { imageId } }}
        />
      </Flex>
      <SectionQuery query={section} label="the summary">
        {(data) => <SummaryContent summary={data} result={result} />}
      </SectionQuery>
    </>
  );
}
