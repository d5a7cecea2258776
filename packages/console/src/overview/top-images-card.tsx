import { Card, Flex, Table, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import type { VulnerableImage } from '../api/overview-types.ts';
import { registryTypeLabels } from '../format/registry-type.ts';
import { RiskCell } from '../images/risk-cell.tsx';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { PermissionNotice } from './permission-notice.tsx';
import type { useFindingOverview } from './use-finding-overview.ts';

function columnsOf(projectId: string): TableColumnsType<VulnerableImage> {
  return [
    {
      title: 'Image',
      key: 'image',
      render: (_value, { image }) => (
        <Flex vertical gap={2}>
          <Link
            to={`/projects/${encodeURIComponent(projectId)}/images/${encodeURIComponent(image.id)}`}
            data-image-id={image.id}
          >
            {image.repository}:{image.tag}
          </Link>
          <Typography.Text type="secondary">
            {image.connectionName} ({registryTypeLabels[image.registryType]})
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: 'Open findings',
      key: 'risk',
      width: 220,
      render: (_value, entry) => <RiskCell image={entry} />,
    },
  ];
}

/**
 * The images with the most open critical vulnerabilities (then high, medium, low), each linking to
 * its report: where fixing a base image or a dependency pays off first.
 */
export function TopImagesCard({
  projectId,
  overview,
}: {
  readonly projectId: string;
  readonly overview: ReturnType<typeof useFindingOverview>;
}) {
  const { access, query } = overview;
  const images = query.data?.topImages;
  return (
    <Card title="Most vulnerable images" data-testid="top-images-card">
      {!access.allowed ? (
        <PermissionNotice reason={access.reason} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : !images ? (
        <LoadingState />
      ) : images.length === 0 ? (
        <EmptyState
          title="No image has open vulnerabilities"
          description="Scanned images with unhandled vulnerabilities are listed here, the most critical first."
        />
      ) : (
        <Table<VulnerableImage>
          size="small"
          rowKey={(entry) => entry.image.id}
          pagination={false}
          aria-label="Most vulnerable images"
          columns={columnsOf(projectId)}
          dataSource={[...images]}
        />
      )}
    </Card>
  );
}
