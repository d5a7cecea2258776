import { Card, Flex } from 'antd';
import { Link } from 'react-router';
import { imageScanStatuses, type ImageScanStatus } from '../api/image-types.ts';
import { EChart, type ChartOption } from '../charts/echart.tsx';
import { scanStatusChartColors, scanStatusLabels } from '../format/scan-status.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { CountList } from './count-list.tsx';
import type { ScanStatusCounts } from './use-scan-status-counts.ts';

function chartOf(counts: Readonly<Record<ImageScanStatus, number>>): ChartOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    series: [
      {
        type: 'pie',
        radius: ['50%', '80%'],
        label: { show: false },
        data: imageScanStatuses
          .filter((status) => counts[status] > 0)
          .map((status) => ({
            name: scanStatusLabels[status],
            value: counts[status],
            itemStyle: { color: scanStatusChartColors[status] },
          })),
      },
    ],
  };
}

/** Images by scan status: a donut, with each count beside it linking to the list filtered by it. */
export function ScanStatusCard({
  projectId,
  status,
}: {
  readonly projectId: string;
  readonly status: ScanStatusCounts;
}) {
  const counts = status.counts;
  const total = counts ? imageScanStatuses.reduce((sum, key) => sum + counts[key], 0) : 0;
  return (
    <Card title="Images by scan status" data-testid="scan-status-card">
      {status.error !== undefined ? (
        <ErrorState error={status.error} onRetry={status.refetch} />
      ) : !counts ? (
        <LoadingState />
      ) : total === 0 ? (
        <EmptyState title="No images yet" description="Connect a registry and synchronize its images." />
      ) : (
        <Flex gap={24} align="center">
          <div style={{ flex: 1, minWidth: 0 }}>
            <EChart option={chartOf(counts)} height={220} label="Images by scan status" />
          </div>
          <CountList
            label="Images by scan status"
            items={imageScanStatuses.map((key) => ({
              key,
              label: scanStatusLabels[key],
              color: scanStatusChartColors[key],
              count: counts[key],
              atLeast: status.atLeast.has(key),
              link: (content) => (
                <Link
                  to={`/projects/${encodeURIComponent(projectId)}/images?status=${key}`}
                  style={{ color: 'inherit' }}
                >
                  {content}
                </Link>
              ),
            }))}
          />
        </Flex>
      )}
    </Card>
  );
}
