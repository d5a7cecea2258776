import { Flex, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import type { ComplianceFinding } from '../api/report-types.ts';
import type { RiskFinding, RiskViewKind } from '../api/risk-types.ts';
import { SeverityTag } from '../report/severity-tag.tsx';

/**
 * The columns describing a finding, per kind (PRODUCT.md 4's fields of each section). The image
 * columns every kind shares are added by the table (risk-findings-table.tsx).
 */
type FindingColumns = { readonly [K in RiskViewKind]: TableColumnsType<RiskFinding<K>> };

/** `sha256:` digests and hashes are told apart by their first 12 characters; the whole one on hover. */
function ShortHash({ value }: { readonly value: string }) {
  return (
    <Tooltip title={value}>
      <span className="mono">{value.length > 12 ? `${value.slice(0, 12)}…` : value}</span>
    </Tooltip>
  );
}

function Secondary({ children }: { readonly children: string }) {
  return (
    <Typography.Text type="secondary" ellipsis={{ tooltip: children }}>
      {children}
    </Typography.Text>
  );
}

function severityColumn<K extends RiskViewKind>(): TableColumnsType<RiskFinding<K>>[number] {
  return {
    title: 'Severity',
    key: 'severity',
    width: 96,
    render: (_value, group) =>
      group.severity === undefined ? null : <SeverityTag severity={group.severity} />,
  };
}

const complianceTypes: Readonly<Record<ComplianceFinding['type'], string>> = {
  license: 'Licence',
  prohibited: 'Prohibited software',
  'end-of-life': 'End of life',
};

export const findingColumns: FindingColumns = {
  vulnerability: [
    {
      title: 'Advisory',
      key: 'advisory',
      render: (_value, { finding }) => (
        <Flex vertical gap={2}>
          <Typography.Text strong className="mono" data-advisory={finding.id}>
            {finding.id}
          </Typography.Text>
          {finding.aliases.length > 0 ? (
            <Typography.Text type="secondary" className="mono">
              {finding.aliases.join(', ')}
            </Typography.Text>
          ) : null}
          {finding.summary ? <Secondary>{finding.summary}</Secondary> : null}
        </Flex>
      ),
    },
    {
      title: 'Severity',
      key: 'severity',
      width: 104,
      render: (_value, { finding }) => (
        <Flex vertical gap={2} align="flex-start">
          <SeverityTag severity={finding.severity} />
          {finding.cvss ? (
            <Tooltip title={`CVSS ${finding.cvss.version} ${finding.cvss.vector}`}>
              <Typography.Text type="secondary">CVSS {finding.cvss.score.toFixed(1)}</Typography.Text>
            </Tooltip>
          ) : null}
        </Flex>
      ),
    },
    {
      title: 'Package',
      key: 'package',
      width: 170,
      render: (_value, { finding }) => (
        <Flex vertical gap={2}>
          <Typography.Text ellipsis={{ tooltip: finding.package.purl }}>
            {finding.package.name}
          </Typography.Text>
          <Typography.Text type="secondary">{finding.package.ecosystem}</Typography.Text>
        </Flex>
      ),
    },
    {
      title: 'Installed',
      key: 'installed',
      width: 120,
      render: (_value, { finding }) => <span className="mono">{finding.installedVersion}</span>,
    },
    {
      title: 'Fixed in',
      key: 'fixed',
      width: 120,
      render: (_value, { finding }) =>
        finding.fixedVersions.length > 0 ? (
          <span className="mono">{finding.fixedVersions.join(', ')}</span>
        ) : (
          <Typography.Text type="secondary">No fix yet</Typography.Text>
        ),
    },
  ],
  secret: [
    {
      title: 'Rule',
      key: 'rule',
      width: 200,
      render: (_value, { finding }) => (
        <Flex vertical gap={2}>
          <Typography.Text strong>{finding.title}</Typography.Text>
          <Typography.Text type="secondary" className="mono">
            {finding.ruleId}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: 'Location',
      key: 'path',
      width: 160,
      render: (_value, { finding }) => {
        const where = finding.location === 'file' ? `${finding.path}:${finding.line}` : finding.path;
        return (
          <Typography.Text className="mono" ellipsis={{ tooltip: where }}>
            {where}
          </Typography.Text>
        );
      },
    },
    {
      title: 'Excerpt (masked)',
      key: 'excerpt',
      render: (_value, { finding }) => (
        <Typography.Text
          className="mono"
          ellipsis={{ tooltip: finding.excerpt }}
          data-testid="secret-excerpt"
        >
          {finding.excerpt}
        </Typography.Text>
      ),
    },
    severityColumn<'secret'>(),
  ],
  malware: [
    {
      title: 'Signature',
      key: 'signature',
      width: 230,
      render: (_value, { finding }) => (
        <Flex vertical gap={2}>
          <Typography.Text strong ellipsis={{ tooltip: finding.signature }}>
            {finding.signature}
          </Typography.Text>
          <Secondary>{finding.source}</Secondary>
        </Flex>
      ),
    },
    {
      title: 'Path',
      key: 'path',
      render: (_value, { finding }) => (
        <Typography.Text className="mono" ellipsis={{ tooltip: finding.path }}>
          {finding.path}
        </Typography.Text>
      ),
    },
    {
      title: 'SHA-256',
      key: 'sha256',
      width: 130,
      render: (_value, { finding }) => <ShortHash value={finding.sha256} />,
    },
    {
      title: 'Engine',
      key: 'engine',
      width: 90,
      render: (_value, { finding }) => <Tag style={{ marginInlineEnd: 0 }}>{finding.engine}</Tag>,
    },
  ],
  baseline: [
    {
      title: 'Check',
      key: 'check',
      width: 300,
      render: (_value, { finding }) => (
        <Flex vertical gap={2}>
          <Typography.Text strong>{finding.title}</Typography.Text>
          <Typography.Text type="secondary" className="mono">
            {finding.id}
          </Typography.Text>
          <Secondary>{finding.standard}</Secondary>
        </Flex>
      ),
    },
    severityColumn<'baseline'>(),
    {
      title: 'Remediation',
      key: 'remediation',
      render: (_value, { finding }) => (
        <Typography.Paragraph ellipsis={{ rows: 2, tooltip: finding.remediation }} style={{ margin: 0 }}>
          {finding.remediation}
        </Typography.Paragraph>
      ),
    },
  ],
  compliance: [
    {
      title: 'Rule',
      key: 'rule',
      width: 170,
      render: (_value, { finding }) => (
        <Flex vertical gap={2} align="flex-start">
          <Typography.Text className="mono" ellipsis={{ tooltip: finding.rule }}>
            {finding.rule}
          </Typography.Text>
          <Tag style={{ marginInlineEnd: 0 }}>{complianceTypes[finding.type]}</Tag>
        </Flex>
      ),
    },
    {
      title: 'Software',
      key: 'software',
      width: 130,
      render: (_value, { finding }) => (
        <Flex vertical gap={2}>
          <Typography.Text ellipsis={{ tooltip: finding.purl ?? finding.software }}>
            {finding.software}
          </Typography.Text>
          {finding.ecosystem ? <Typography.Text type="secondary">{finding.ecosystem}</Typography.Text> : null}
        </Flex>
      ),
    },
    {
      title: 'Version',
      key: 'version',
      width: 84,
      render: (_value, { finding }) =>
        finding.version ? (
          <span className="mono">{finding.version}</span>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      title: 'Reason',
      key: 'reason',
      render: (_value, { finding }) => (
        <Typography.Paragraph ellipsis={{ rows: 2, tooltip: finding.reason }} style={{ margin: 0 }}>
          {finding.reason}
        </Typography.Paragraph>
      ),
    },
    severityColumn<'compliance'>(),
  ],
  inventory: [
    {
      title: 'Package',
      key: 'name',
      width: 240,
      render: (_value, { finding }) => (
        <Flex vertical gap={2}>
          <Typography.Text strong>{finding.name}</Typography.Text>
          {finding.purl ? (
            <Typography.Text type="secondary" className="mono" ellipsis={{ tooltip: finding.purl }}>
              {finding.purl}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      title: 'Version',
      key: 'version',
      width: 130,
      render: (_value, { finding }) => <span className="mono">{finding.version}</span>,
    },
    {
      title: 'Ecosystem',
      key: 'ecosystem',
      width: 100,
      render: (_value, { finding }) => finding.ecosystem,
    },
    {
      title: 'Licences',
      key: 'licenses',
      render: (_value, { finding }) =>
        finding.licenses.length > 0 ? (
          <Flex gap={4} wrap>
            {finding.licenses.map((license) => (
              <Tag key={license} style={{ marginInlineEnd: 0 }}>
                {license}
              </Tag>
            ))}
          </Flex>
        ) : (
          <Typography.Text type="secondary">Undeclared</Typography.Text>
        ),
    },
  ],
};
