import { Alert, Card, Checkbox, Flex, List, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import type { BaselineCheck, BaselineSection } from '../api/report-types.ts';
import { formatCount } from '../format/format-time.ts';
import { EmptyState } from '../states/empty-state.tsx';
import type { ReportTabProps } from './report-tab-props.ts';
import { NotScannedState, SectionQuery } from './section-query.tsx';
import { severityRank } from './severity.ts';
import { SeverityTag } from './severity-tag.tsx';
import { useReportSection } from './use-report-section.ts';

/** The engine's check areas in reading order, with the names the report gives them. */
const areaLabels: readonly (readonly [string, string])[] = [
  ['image-config', 'Image configuration'],
  ['build-history', 'Build history'],
  ['accounts', 'Accounts (passwd, shadow, group)'],
  ['weak-password', 'Weak passwords'],
  ['password-policy', 'Password policy'],
  ['ssh', 'SSH server'],
];

const resultTags: Readonly<
  Record<BaselineCheck['result'], { readonly color: string; readonly label: string }>
> = {
  fail: { color: 'error', label: 'Failed' },
  pass: { color: 'success', label: 'Passed' },
  not_applicable: { color: 'default', label: 'Not applicable' },
};

const resultOrder: Readonly<Record<BaselineCheck['result'], number>> = {
  fail: 0,
  pass: 1,
  not_applicable: 2,
};

function compareChecks(a: BaselineCheck, b: BaselineCheck): number {
  return (
    resultOrder[a.result] - resultOrder[b.result] ||
    severityRank(a.severity) - severityRank(b.severity) ||
    a.title.localeCompare(b.title)
  );
}

/** The checks by area, known areas in their order and any other after them. */
function groupByArea(
  checks: readonly BaselineCheck[],
): readonly (readonly [string, string, BaselineCheck[]])[] {
  const groups = new Map<string, BaselineCheck[]>();
  for (const check of checks) groups.set(check.area, [...(groups.get(check.area) ?? []), check]);
  const known = areaLabels
    .filter(([area]) => groups.has(area))
    .map(([area, label]) => [area, label, groups.get(area) ?? []] as const);
  const others = [...groups.keys()]
    .filter((area) => !areaLabels.some(([known]) => known === area))
    .map((area) => [area, area, groups.get(area) ?? []] as const);
  return [...known, ...others].map(
    ([area, label, list]) => [area, label, [...list].sort(compareChecks)] as const,
  );
}

/** A current or suggested value: instructions and paths can be long words, so they break anywhere. */
function Value({ text }: { readonly text: string | undefined }) {
  if (text === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  return <span style={{ wordBreak: 'break-word', overflowWrap: 'anywhere' }}>{text}</span>;
}

const columns: TableColumnsType<BaselineCheck> = [
  {
    title: 'Check',
    key: 'check',
    width: 280,
    render: (_value, check) => (
      <Flex vertical gap={2}>
        <Typography.Text strong>{check.title}</Typography.Text>
        <Typography.Text type="secondary" className="mono">
          {check.id}
        </Typography.Text>
        <Typography.Text type="secondary">{check.standard}</Typography.Text>
      </Flex>
    ),
  },
  {
    title: 'Severity',
    key: 'severity',
    width: 96,
    render: (_value, check) => <SeverityTag severity={check.severity} />,
  },
  {
    title: 'Result',
    key: 'result',
    width: 110,
    render: (_value, check) => (
      <Tag color={resultTags[check.result].color} data-result={check.result}>
        {resultTags[check.result].label}
      </Tag>
    ),
  },
  {
    title: 'Current value',
    key: 'current',
    render: (_value, check) => <Value text={check.current} />,
  },
  {
    title: 'Suggested value',
    key: 'suggested',
    render: (_value, check) => <Value text={check.suggested} />,
  },
];

/** A check unfolded: how to fix it, and where the evidence is. */
function CheckDetail({ check }: { readonly check: BaselineCheck }) {
  return (
    <Flex vertical gap={8}>
      <div>
        <Typography.Text strong>Remediation: </Typography.Text>
        {check.remediation}
      </div>
      {check.evidence.length > 0 ? (
        <List
          size="small"
          header={<Typography.Text strong>Evidence</Typography.Text>}
          dataSource={[...check.evidence]}
          renderItem={(item) => (
            <List.Item>
              <span className="mono">
                {item.location}
                {item.line === undefined ? '' : `:${item.line}`}
              </span>
              <span style={{ marginInlineStart: 12 }}>{item.detail}</span>
            </List.Item>
          )}
        />
      ) : null}
    </Flex>
  );
}

/** The accounts whose password was guessed (masked by the engine), and how far the guessing went. */
function WeakPasswords({ section }: { readonly section: BaselineSection }) {
  const check = section.checks.find((candidate) => candidate.area === 'weak-password');
  const search = section.weakPasswords;
  if (!check && !search) return null;
  const accounts = check?.result === 'fail' ? check.evidence : [];
  return (
    <Card
      size="small"
      title="Weak-password accounts"
      data-testid="weak-passwords"
      style={{ marginBottom: 16 }}
    >
      {accounts.length > 0 ? (
        <List
          size="small"
          dataSource={[...accounts]}
          renderItem={(item) => (
            <List.Item>
              <Typography.Text type="danger">{item.detail}</Typography.Text>
              <span className="mono">
                {item.location}
                {item.line === undefined ? '' : `:${item.line}`}
              </span>
            </List.Item>
          )}
        />
      ) : (
        <Typography.Text>No account password was guessed.</Typography.Text>
      )}
      {search ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {formatCount(search.tried ?? 0)} guesses made from the built-in dictionary, the account names and
          the project's own words
          {search.exhausted ? '; the guessing budget ran out before every candidate was tried' : ''}.
          {(search.unsupported ?? []).length > 0
            ? ` Not checked (hash not supported): ${(search.unsupported ?? [])
                .map((entry) => `${entry.account ?? '?'} (${entry.algorithm ?? '?'})`)
                .join(', ')}.`
            : ''}
        </Typography.Paragraph>
      ) : null}
    </Card>
  );
}

function BaselineContent({ section }: { readonly section: BaselineSection }) {
  const [showAll, setShowAll] = useState(false);
  const failed = section.checks.filter((check) => check.result === 'fail').length;
  const passed = section.checks.filter((check) => check.result === 'pass').length;
  const notApplicable = section.checks.length - failed - passed;
  const groups = groupByArea(
    showAll ? section.checks : section.checks.filter((check) => check.result === 'fail'),
  );
  return (
    <>
      <Flex justify="space-between" align="center" style={{ marginBottom: 16 }} wrap gap={8}>
        <Typography.Text data-testid="baseline-counts">
          {formatCount(failed)} failed, {formatCount(passed)} passed, {formatCount(notApplicable)} not
          applicable
        </Typography.Text>
        <Checkbox checked={showAll} onChange={(event) => setShowAll(event.target.checked)}>
          Show passed and not applicable checks
        </Checkbox>
      </Flex>
      <WeakPasswords section={section} />
      {groups.length === 0 ? (
        <Alert type="success" showIcon title="Every baseline check passed (or did not apply)." />
      ) : (
        groups.map(([area, label, checks]) => (
          <Card
            key={area}
            size="small"
            title={label}
            style={{ marginBottom: 16 }}
            data-area={area}
            extra={<Typography.Text type="secondary">{formatCount(checks.length)} checks</Typography.Text>}
          >
            <Table<BaselineCheck>
              rowKey="id"
              size="small"
              pagination={false}
              tableLayout="fixed"
              columns={columns}
              dataSource={checks}
              expandable={{ expandedRowRender: (check) => <CheckDetail check={check} /> }}
            />
          </Card>
        ))
      )}
    </>
  );
}

/**
 * Baseline (PRODUCT.md section 4): image configuration and build history, accounts, weak
 * passwords and password policy, SSH; each check with its standard, severity, result, current
 * and suggested value, and (unfolded) remediation and evidence. Failed checks first.
 */
export function BaselineTab({ projectId, imageId, result }: ReportTabProps) {
  const section = useReportSection(projectId, imageId, 'baseline', result);
  return (
    <SectionQuery query={section} label="baseline checks">
      {(data) =>
        !data.scanned ? (
          <NotScannedState riskType="baseline checks" />
        ) : data.checks.length === 0 ? (
          <EmptyState title="No baseline checks ran" />
        ) : (
          <BaselineContent section={data} />
        )
      }
    </SectionQuery>
  );
}
