import { Table, Tag, Typography, type TableColumnsType } from 'antd';
import { SeverityTag } from '../report/severity-tag.tsx';
import { severityRank } from '../report/severity.ts';
import type { CiSecret, CiVulnerability } from './ci-scan-report.ts';

const pageSize = 10;

function bySeverity<T extends { readonly severity: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
}

/** A platform column only for multi-platform scans, where a finding's platform tells them apart. */
function platformColumn<T extends { readonly platform: string }>(several: boolean): TableColumnsType<T> {
  return several
    ? [{ title: 'Platform', key: 'platform', width: 110, render: (_value, row) => <Tag>{row.platform}</Tag> }]
    : [];
}

/** The report's vulnerabilities, most severe first, as the CLI found them (its ignores applied). */
export function CiVulnerabilityTable({
  rows,
  several,
}: {
  readonly rows: readonly CiVulnerability[];
  readonly several: boolean;
}) {
  const columns: TableColumnsType<CiVulnerability> = [
    {
      title: 'Severity',
      key: 'severity',
      width: 100,
      render: (_value, row) => <SeverityTag severity={row.severity} />,
    },
    {
      title: 'Vulnerability',
      key: 'id',
      width: 190,
      render: (_value, row) => (
        <>
          <Typography.Text strong>{row.id}</Typography.Text>
          {row.summary === undefined ? null : (
            <Typography.Paragraph
              type="secondary"
              ellipsis={{ rows: 2, tooltip: row.summary }}
              style={{ margin: 0 }}
            >
              {row.summary}
            </Typography.Paragraph>
          )}
        </>
      ),
    },
    {
      title: 'Package',
      key: 'package',
      render: (_value, row) =>
        `${row.packageName}${row.installedVersion === undefined ? '' : ` ${row.installedVersion}`}`,
    },
    {
      title: 'Fixed in',
      key: 'fixed',
      width: 130,
      render: (_value, row) =>
        row.fixedVersions.length === 0 ? (
          <Typography.Text type="secondary">No fix yet</Typography.Text>
        ) : (
          row.fixedVersions.join(', ')
        ),
    },
    ...platformColumn<CiVulnerability>(several),
  ];
  return (
    <Table<CiVulnerability>
      rowKey="key"
      size="small"
      data-testid="ci-scan-vulnerabilities"
      columns={columns}
      dataSource={bySeverity(rows)}
      pagination={rows.length > pageSize ? { pageSize, showSizeChanger: false } : false}
      locale={{ emptyText: 'No vulnerabilities in the report.' }}
    />
  );
}

/**
 * The report's secrets as stored: masked by the CLI before the upload (the service refuses an
 * unmasked one), so the raw value never reaches the service or this page.
 */
export function CiSecretTable({
  rows,
  several,
}: {
  readonly rows: readonly CiSecret[];
  readonly several: boolean;
}) {
  const columns: TableColumnsType<CiSecret> = [
    {
      title: 'Severity',
      key: 'severity',
      width: 100,
      render: (_value, row) => <SeverityTag severity={row.severity} />,
    },
    {
      title: 'Rule',
      key: 'rule',
      width: 180,
      render: (_value, row) => (
        <>
          <div>{row.title ?? row.ruleId}</div>
          <Typography.Text type="secondary">{row.ruleId}</Typography.Text>
        </>
      ),
    },
    {
      title: 'Where',
      key: 'path',
      render: (_value, row) => (
        <span style={{ wordBreak: 'break-all' }}>
          {row.path}
          {row.line === undefined ? '' : `:${row.line}`}
        </span>
      ),
    },
    {
      title: 'Secret (masked)',
      key: 'secret',
      width: 220,
      render: (_value, row) => (
        <>
          <Typography.Text code data-testid="ci-masked-secret">
            {row.secret}
          </Typography.Text>
          {row.excerpt === undefined ? null : (
            <Typography.Paragraph
              type="secondary"
              ellipsis={{ rows: 2, tooltip: row.excerpt }}
              style={{ margin: 0 }}
            >
              {row.excerpt}
            </Typography.Paragraph>
          )}
        </>
      ),
    },
    ...platformColumn<CiSecret>(several),
  ];
  return (
    <Table<CiSecret>
      rowKey="key"
      size="small"
      data-testid="ci-scan-secrets"
      columns={columns}
      dataSource={bySeverity(rows)}
      pagination={rows.length > pageSize ? { pageSize, showSizeChanger: false } : false}
      locale={{ emptyText: 'No secrets in the report.' }}
    />
  );
}
