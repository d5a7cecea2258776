import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { Flex, Table, Tag, Typography, type TableColumnsType, type TableProps } from 'antd';
import { useState } from 'react';
import { GuardedButton } from '../access/guarded-button.tsx';
import type { ExportJob } from '../api/export-types.ts';
import { ExportDialog } from '../exports/export-dialog.tsx';
import { describeExportFilter } from '../exports/export-filter-summary.ts';
import { exportDownloadHref } from '../exports/export-job.ts';
import { exportKindLabels, exportStatusTags } from '../exports/export-labels.ts';
import { useExportPage } from '../exports/use-export-page.ts';
import { formatCount } from '../format/format-time.ts';
import { TimeCell } from '../format/time-cell.tsx';
import { useCurrentProjectId } from '../shell/use-project-id.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';
import { RefreshButton } from '../states/refresh-button.tsx';
import { useDialogState } from '../states/use-dialog-state.ts';

const pageSizes = [10, 20, 50] as const;

function notReadyReason(job: ExportJob): string | undefined {
  if (job.status === 'finished') return undefined;
  if (job.status === 'failed') return 'The export failed; there is no file. Start another.';
  return 'The export is still being written.';
}

const columns: TableColumnsType<ExportJob> = [
  {
    title: 'Created',
    key: 'createdAt',
    width: 130,
    render: (_value, job) => <TimeCell value={job.createdAt} />,
  },
  {
    title: 'Export',
    key: 'kind',
    render: (_value, job) => (
      <Flex vertical>
        <Typography.Text strong>{exportKindLabels[job.kind]}</Typography.Text>
        <Typography.Text type="secondary">{describeExportFilter(job.filter)}</Typography.Text>
      </Flex>
    ),
  },
  {
    title: 'Format',
    key: 'format',
    width: 90,
    render: (_value, job) => <Tag>{job.format.toUpperCase()}</Tag>,
  },
  {
    title: 'Status',
    key: 'status',
    width: 260,
    render: (_value, job) => (
      <Flex vertical align="flex-start" gap={4}>
        <Tag color={exportStatusTags[job.status].color} data-status={job.status}>
          {exportStatusTags[job.status].label}
        </Tag>
        {job.error ? (
          <Typography.Text type="danger" data-testid="export-error">
            {job.error}
          </Typography.Text>
        ) : null}
      </Flex>
    ),
  },
  {
    title: 'Rows',
    key: 'rows',
    align: 'right',
    width: 90,
    render: (_value, job) => (job.status === 'finished' ? formatCount(job.rows) : '—'),
  },
  {
    title: 'Finished',
    key: 'finishedAt',
    width: 130,
    render: (_value, job) => <TimeCell value={job.finishedAt} />,
  },
  {
    title: 'File',
    key: 'download',
    width: 130,
    render: (_value, job) => (
      <GuardedButton
        permission="images:get"
        size="small"
        icon={<DownloadOutlined />}
        unavailableReason={notReadyReason(job)}
        {...(job.status === 'finished' ? { href: exportDownloadHref(job), download: true } : {})}
      >
        Download
      </GuardedButton>
    ),
  },
];

/**
 * Exports (PRODUCT.md 4.1): start an export of a risk type, the inventory or one image's report
 * as CSV or JSON; the list follows running jobs until they finish (then the file downloads) or
 * fail (then the reason shows).
 */
export function ExportsPage() {
  const projectId = useCurrentProjectId();
  const [paging, setPaging] = useState<{ readonly page: number; readonly pageSize: number }>({
    page: 1,
    pageSize: 20,
  });
  const jobs = useExportPage(projectId, paging.page, paging.pageSize);
  const dialog = useDialogState<true>();
  const onTableChange: TableProps<ExportJob>['onChange'] = (pagination) =>
    setPaging({ page: pagination.current ?? 1, pageSize: pagination.pageSize ?? paging.pageSize });
  const total = jobs.data?.total ?? 0;

  return (
    <PageFrame
      title="Exports"
      description="Findings, the software inventory or an image's report as CSV or JSON files. Secrets are masked in every export."
      actions={
        <>
          <RefreshButton query={jobs} />
          <GuardedButton
            permission="images:get"
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => dialog.show(true)}
          >
            Create export
          </GuardedButton>
        </>
      }
    >
      {jobs.isError ? (
        <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} />
      ) : (
        <Table<ExportJob>
          rowKey="id"
          columns={columns}
          dataSource={jobs.data ? [...jobs.data.exports] : []}
          loading={jobs.isPending || jobs.isPlaceholderData}
          onChange={onTableChange}
          scroll={{ x: 1000 }}
          aria-label="Export jobs"
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total,
            showSizeChanger: true,
            pageSizeOptions: pageSizes.map(String),
            hideOnSinglePage: total <= pageSizes[0],
          }}
          locale={{
            emptyText: jobs.isPending ? (
              ' '
            ) : (
              <EmptyState
                title="No exports yet"
                description="Export the findings of a risk type, the inventory, or one image's report."
                action={
                  <GuardedButton permission="images:get" type="primary" onClick={() => dialog.show(true)}>
                    Create export
                  </GuardedButton>
                }
              />
            ),
          }}
        />
      )}
      <ExportDialog key={dialog.key} open={dialog.open} projectId={projectId} onClose={dialog.close} />
    </PageFrame>
  );
}
