import { Flex, Segmented, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { ScanTaskImage, TaskImageStatus } from '../api/task-manager-types.ts';
import type { ScanTask } from '../api/task-types.ts';
import { failureRemedies } from '../format/scan-status.ts';
import { formatCount } from '../format/format-time.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { TaskImageStatusTag } from './task-status-tags.tsx';
import { useScanTaskImages } from './use-scan-task-images.ts';

/** The image list's status choices; `queued` holds the scans sent to a worker but not started too. */
const imageFilters = ['all', 'failed', 'queued', 'scanning', 'succeeded', 'terminated'] as const;
type ImageFilter = (typeof imageFilters)[number];

const filterLabels: Readonly<Record<ImageFilter, string>> = {
  all: 'All',
  failed: 'Failed',
  queued: 'Queued',
  scanning: 'Scanning',
  succeeded: 'Succeeded',
  terminated: 'Terminated',
};

const filterStatuses: Readonly<Record<Exclude<ImageFilter, 'all'>, readonly TaskImageStatus[]>> = {
  failed: ['failed'],
  queued: ['queued', 'dispatched'],
  scanning: ['scanning'],
  succeeded: ['succeeded'],
  terminated: ['terminated'],
};

function countOf(task: ScanTask, filter: ImageFilter): number {
  return filter === 'all'
    ? task.counts.total
    : filter === 'scanning'
      ? task.counts.running
      : task.counts[filter];
}

/** A failure's code, the message the service stored, and what to do about it (PRODUCT.md 3.2). */
function FailureCell({ image }: { readonly image: ScanTaskImage }) {
  if (image.status !== 'failed') return null;
  const remedy = image.failureCode ? failureRemedies[image.failureCode] : undefined;
  return (
    <Flex vertical gap={2} className="scan-failure" data-failure-code={image.failureCode ?? ''}>
      <span>
        <Tag color="error">{image.failureCode ?? 'failed'}</Tag>
        {image.failureMessage ?? ''}
      </span>
      {remedy ? <Typography.Text type="secondary">{remedy}</Typography.Text> : null}
    </Flex>
  );
}

/**
 * The task's image scans with their status, filtered by status; failed ones with their failure
 * code, reason and remedy. "Failed" asks the API for the failed scans only; the other choices
 * filter the task's whole list here, since the API filters on nothing else.
 */
export function ScanTaskImages({ projectId, task }: { readonly projectId: string; readonly task: ScanTask }) {
  const [filter, setFilter] = useState<ImageFilter>(task.counts.failed > 0 ? 'failed' : 'all');
  const images = useScanTaskImages(projectId, task, filter === 'failed');
  // Also "failed": while the failed scans load, the whole list shown until then is cut down too.
  const rows =
    filter === 'all'
      ? (images.data ?? [])
      : (images.data ?? []).filter((image) => filterStatuses[filter].includes(image.status));
  const columns: TableColumnsType<ScanTaskImage> = [
    {
      title: 'Image',
      key: 'image',
      width: 240,
      render: (_value, image) => (
        <Flex vertical>
          <Link to={`/projects/${encodeURIComponent(projectId)}/images/${encodeURIComponent(image.imageId)}`}>
            {image.repository}:{image.tag}
          </Link>
          {image.platform === '' ? null : <span className="mono">{image.platform}</span>}
        </Flex>
      ),
    },
    {
      title: 'Status',
      key: 'status',
      width: 140,
      render: (_value, image) => <TaskImageStatusTag status={image.status} />,
    },
    {
      title: 'Failure and remedy',
      key: 'failure',
      render: (_value, image) => <FailureCell image={image} />,
    },
  ];
  return (
    <Flex vertical gap={12}>
      <Segmented<ImageFilter>
        aria-label="Image scan status"
        value={filter}
        onChange={setFilter}
        options={imageFilters.map((value) => ({
          value,
          label: `${filterLabels[value]} (${formatCount(countOf(task, value))})`,
        }))}
      />
      {images.isError ? (
        <ErrorState error={images.error} onRetry={() => void images.refetch()} />
      ) : (
        <Table<ScanTaskImage>
          rowKey={(image) => `${image.imageId}/${image.platform}`}
          size="small"
          data-testid="scan-task-images"
          columns={columns}
          dataSource={[...rows]}
          // A new answer replaces the rows when the counts change; no spinner for that every 2 s.
          loading={images.isPending}
          pagination={{ defaultPageSize: 10, showSizeChanger: true, hideOnSinglePage: true }}
          locale={{
            emptyText: images.isPending ? (
              ' '
            ) : (
              <EmptyState
                title={
                  filter === 'all'
                    ? 'The task has no images'
                    : `No ${filterLabels[filter].toLowerCase()} image scans`
                }
              />
            ),
          }}
        />
      )}
    </Flex>
  );
}
