import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Flex, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { GuardedButton } from '../access/guarded-button.tsx';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import type { SecretIgnore } from '../api/handling-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import type { SecretFinding } from '../api/report-types.ts';
import { formatTime } from '../format/format-time.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { useDialogState } from '../states/use-dialog-state.ts';
import { LayerCell } from './layer-cell.tsx';
import type { ReportTabProps } from './report-tab-props.ts';
import { SecretIgnoreDialog } from './secret-ignore-dialog.tsx';
import { NotScannedState, SectionQuery } from './section-query.tsx';
import { severityRank } from './severity.ts';
import { SeverityTag } from './severity-tag.tsx';
import { useReportSection } from './use-report-section.ts';

interface SecretRow extends SecretFinding {
  readonly key: string;
}

function StateCell({ finding }: { readonly finding: SecretFinding }) {
  const ignored = finding.ignoredBy;
  if (ignored === null)
    return (
      <Tag color="red" data-secret-state="open">
        Open
      </Tag>
    );
  if (ignored.by === 'path_allowlist')
    return (
      <Tooltip title={`The project's path allowlist holds ${ignored.glob}`}>
        <Tag data-secret-state="allowlisted">Path allowlisted</Tag>
      </Tooltip>
    );
  return (
    <Flex vertical gap={2} align="flex-start">
      <Tag data-secret-state="ignored">Ignored</Tag>
      <Typography.Text type="secondary">
        by {ignored.userName}, {formatTime(ignored.at)}: {ignored.reason}
      </Typography.Text>
    </Flex>
  );
}

/**
 * Sensitive information (PRODUCT.md section 4): each secret masked as the API gives it (the
 * console never sees the secret itself), with its rule, place and layer, and whether it counts.
 * "Ignore" records an ignore for this image or all; an ignore can be lifted again. Both need
 * `results:handle`; path-allowlisted findings are changed in the project's scan settings.
 */
export function SecretsTab({ projectId, imageId, result }: ReportTabProps) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const section = useReportSection(projectId, imageId, 'secrets', result);
  const dialog = useDialogState<SecretFinding>();
  const lift = useMutation({
    mutationFn: (ignoreId: string) =>
      api.request<SecretIgnore>(
        'DELETE',
        `/projects/${encodeURIComponent(projectId)}/handling/secret-ignores/${encodeURIComponent(ignoreId)}`,
      ),
    onSuccess: (lifted) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.project(projectId) });
      void message.success(`The ignore of ${lifted.path} was lifted; the finding counts again.`);
    },
    onError: (error) => void message.error(describeError(error)),
  });

  const columns: TableColumnsType<SecretRow> = [
    {
      title: 'Rule',
      key: 'rule',
      width: 200,
      render: (_value, finding) => (
        <Flex vertical gap={2}>
          <Typography.Text strong>{finding.title}</Typography.Text>
          <Typography.Text type="secondary" className="mono">
            {finding.ruleId}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: 'Severity',
      key: 'severity',
      width: 96,
      sorter: (a, b) => severityRank(a.severity) - severityRank(b.severity),
      render: (_value, finding) => <SeverityTag severity={finding.severity} />,
    },
    {
      title: 'Where',
      key: 'where',
      render: (_value, finding) => (
        <Flex vertical gap={2}>
          <Typography.Text className="mono">
            {finding.path}
            {finding.location === 'file' ? `:${finding.line}` : ''}
          </Typography.Text>
          <Typography.Text className="mono" type="secondary" data-testid="secret-excerpt">
            {finding.excerpt}
          </Typography.Text>
          {finding.inFinalFilesystem ? null : (
            <Typography.Text type="secondary">Deleted by a later layer, still in this one</Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: 'Layer',
      key: 'layer',
      width: 180,
      render: (_value, finding) => <LayerCell layer={finding.layer} />,
    },
    {
      title: 'State',
      key: 'state',
      width: 190,
      render: (_value, finding) => <StateCell finding={finding} />,
    },
    {
      title: 'Actions',
      key: 'actions',
      width: 110,
      render: (_value, finding) => {
        const ignored = finding.ignoredBy;
        if (ignored === null)
          return (
            <GuardedButton
              permission="results:handle"
              size="small"
              onClick={() => dialog.show(finding)}
              aria-label={`Ignore ${finding.ruleId} at ${finding.path}`}
            >
              Ignore
            </GuardedButton>
          );
        if (ignored.by === 'path_allowlist') return null;
        return (
          <GuardedButton
            permission="results:handle"
            size="small"
            loading={lift.isPending && lift.variables === ignored.ignoreId}
            confirm={{
              title: 'Lift this ignore?',
              description: 'The finding counts again, in every image the ignore covered.',
              okText: 'Lift ignore',
              danger: false,
              onConfirm: () => lift.mutate(ignored.ignoreId),
            }}
          >
            Lift ignore
          </GuardedButton>
        );
      },
    },
  ];

  return (
    <>
      <SectionQuery query={section} label="sensitive information">
        {(data) =>
          !data.scanned ? (
            <NotScannedState riskType="sensitive information" />
          ) : data.findings.length === 0 ? (
            <EmptyState
              title="No sensitive information found"
              description={
                data.coverage?.rules
                  ? `${data.coverage.rules} rules were applied to the files and the configuration.`
                  : undefined
              }
            />
          ) : (
            <>
              <Table<SecretRow>
                rowKey="key"
                size="small"
                aria-label="Sensitive information"
                columns={columns}
                dataSource={data.findings.map((finding, index) => ({
                  ...finding,
                  key: `${finding.ruleId}|${finding.path}|${finding.line}|${index}`,
                }))}
                scroll={{ x: 1000 }}
                pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
              />
              {data.coverage ? (
                <Typography.Text type="secondary">
                  {data.coverage.rules ?? 0} rules applied
                  {data.coverage.skippedBaseLayers
                    ? `; the ${data.coverage.skippedBaseLayers} base image layers were not searched`
                    : ''}
                  .
                </Typography.Text>
              ) : null}
            </>
          )
        }
      </SectionQuery>
      <SecretIgnoreDialog
        key={dialog.key}
        open={dialog.open}
        onClose={dialog.close}
        projectId={projectId}
        imageId={imageId}
        finding={dialog.value}
      />
    </>
  );
}
