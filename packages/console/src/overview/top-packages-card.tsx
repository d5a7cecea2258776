import { Card, Flex, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import type { VulnerablePackage } from '../api/overview-types.ts';
import { formatCount } from '../format/format-time.ts';
import { SeverityTag } from '../report/severity-tag.tsx';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { PermissionNotice } from './permission-notice.tsx';
import type { useFindingOverview } from './use-finding-overview.ts';

/** The risk views' vulnerability list narrowed to the package: its search matches the keys, `advisory ecosystem name version`. */
function riskViewPath(projectId: string, entry: VulnerablePackage): string {
  const query = new URLSearchParams({ kind: 'vulnerability', search: `${entry.ecosystem} ${entry.name}` });
  return `/projects/${encodeURIComponent(projectId)}/risks?${query.toString()}`;
}

function columnsOf(projectId: string): TableColumnsType<VulnerablePackage> {
  return [
    {
      title: 'Package',
      key: 'package',
      render: (_value, entry) => (
        <Flex gap={8} align="center" wrap>
          <Link
            to={riskViewPath(projectId, entry)}
            data-package={entry.name}
            style={{ whiteSpace: 'nowrap' }}
          >
            {entry.name}
          </Link>
          <Tag style={{ marginInlineEnd: 0 }}>{entry.ecosystem}</Tag>
        </Flex>
      ),
    },
    {
      title: 'Worst',
      key: 'worst',
      width: 88,
      render: (_value, entry) => <SeverityTag severity={entry.worstSeverity} />,
    },
    {
      title: 'Advisories',
      key: 'advisories',
      align: 'right',
      width: 92,
      render: (_value, entry) => formatCount(entry.advisories),
    },
    {
      title: 'Versions',
      key: 'versions',
      align: 'right',
      width: 80,
      render: (_value, entry) => formatCount(entry.versions),
    },
    {
      title: (
        <Tooltip title="Images holding the package's most widespread advisory: at least this many images are affected.">
          <span>Images</span>
        </Tooltip>
      ),
      key: 'images',
      align: 'right',
      width: 76,
      render: (_value, entry) => <span data-images={entry.name}>≥ {formatCount(entry.images)}</span>,
    },
  ];
}

/**
 * The packages with the worst vulnerabilities across the project (worst severity, then the most
 * images, then the most advisories), each linking to the risk views narrowed to it.
 */
export function TopPackagesCard({
  projectId,
  overview,
}: {
  readonly projectId: string;
  readonly overview: ReturnType<typeof useFindingOverview>;
}) {
  const { access, query } = overview;
  const packages = query.data?.topPackages;
  return (
    <Card title="Most vulnerable packages" data-testid="top-packages-card">
      {!access.allowed ? (
        <PermissionNotice reason={access.reason} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : !packages ? (
        <LoadingState />
      ) : packages.length === 0 ? (
        <EmptyState
          title="No vulnerable packages"
          description="Packages with known vulnerabilities are listed here."
        />
      ) : (
        <Flex vertical gap={8}>
          <Table<VulnerablePackage>
            size="small"
            rowKey={(entry) => `${entry.ecosystem} ${entry.name}`}
            pagination={false}
            aria-label="Most vulnerable packages"
            columns={columnsOf(projectId)}
            dataSource={[...packages]}
          />
          <Typography.Text type="secondary">
            Handled (ignored or repaired) advisories are counted too; the risk views show each one&apos;s
            state per image.
          </Typography.Text>
        </Flex>
      )}
    </Card>
  );
}
