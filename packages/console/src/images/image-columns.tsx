import { Flex, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { GuardedButton } from '../access/guarded-button.tsx';
import type { ImageSortKey, RepositoryImage, SortOrder } from '../api/image-types.ts';
import { formatBytes } from '../format/format-bytes.ts';
import { TimeCell } from '../format/time-cell.tsx';
import { registryTypeLabels } from '../format/registry-type.ts';
import { RiskCell } from './risk-cell.tsx';
import { ScanStatusTag } from './scan-status-tag.tsx';
import { StopImageScansButton } from './stop-image-scans-button.tsx';

/** `sha256:0123456789ab…`: enough to tell digests apart in a table; the full one is in the tooltip. */
function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return hex === undefined ? digest : `${algorithm}:${hex.slice(0, 12)}…`;
}

export interface ImageColumnOptions {
  readonly projectId: string;
  readonly sort: ImageSortKey | undefined;
  readonly order: SortOrder;
  readonly onScan: (image: RepositoryImage) => void;
}

/**
 * The columns of the repository image list (PRODUCT.md section 2's repository image), sorted by
 * the API: the column `key` is the API's sort key.
 */
export function imageColumns({
  projectId,
  sort,
  order,
  onScan,
}: ImageColumnOptions): TableColumnsType<RepositoryImage> {
  const sorted = (key: ImageSortKey) => ({
    key,
    sorter: true,
    sortOrder: sort === key ? (order === 'asc' ? ('ascend' as const) : ('descend' as const)) : null,
  });
  return [
    {
      title: 'Image',
      ...sorted('name'),
      fixed: 'left',
      width: 198,
      render: (_value, image) => (
        <Flex vertical>
          <Typography.Text strong ellipsis={{ tooltip: `${image.repository}:${image.tag}` }}>
            {image.repository}:{image.tag}
          </Typography.Text>
          <Tooltip title={image.digest}>
            <span className="mono">{shortDigest(image.digest)}</span>
          </Tooltip>
        </Flex>
      ),
    },
    {
      title: 'Namespace',
      dataIndex: 'namespace',
      ...sorted('namespace'),
      width: 112,
      ellipsis: { showTitle: true },
    },
    {
      title: 'Registry',
      ...sorted('registry'),
      width: 106,
      render: (_value, image) => (
        <Flex vertical gap={2} align="flex-start">
          <Typography.Text ellipsis={{ tooltip: image.connectionName }}>
            {image.connectionName}
          </Typography.Text>
          <Tag style={{ marginInlineEnd: 0 }}>{registryTypeLabels[image.registryType]}</Tag>
        </Flex>
      ),
    },
    {
      title: 'Size',
      ...sorted('size'),
      width: 76,
      render: (_value, image) => (
        <div>
          <div>{formatBytes(image.size)}</div>
          {image.platforms.length === 0 ? null : (
            <Tooltip title={image.platforms.map((platform) => platform.platform).join(', ')}>
              <Typography.Text type="secondary">{image.platforms.length} platforms</Typography.Text>
            </Tooltip>
          )}
        </div>
      ),
    },
    {
      title: 'Updated',
      ...sorted('pushedAt'),
      width: 100,
      render: (_value, image) => <TimeCell value={image.pushedAt} />,
    },
    {
      title: 'Scan status',
      ...sorted('scanStatus'),
      width: 122,
      render: (_value, image) => <ScanStatusTag image={image} />,
    },
    {
      title: 'Last scan',
      ...sorted('lastScanAt'),
      width: 96,
      render: (_value, image) => <TimeCell value={image.lastScanAt} fallback="Never" />,
    },
    {
      title: 'Risk',
      ...sorted('riskLevel'),
      width: 110,
      render: (_value, image) => <RiskCell image={image} />,
    },
    {
      title: 'Actions',
      key: 'actions',
      fixed: 'right',
      width: 84,
      render: (_value, image) => (
        <Flex vertical align="flex-start">
          <GuardedButton
            permission="images:set"
            size="small"
            type="link"
            style={{ padding: 0 }}
            onClick={() => onScan(image)}
          >
            Scan
          </GuardedButton>
          <StopImageScansButton projectId={projectId} image={image} />
          <Link to={`/projects/${encodeURIComponent(projectId)}/images/${encodeURIComponent(image.id)}`}>
            View report
          </Link>
        </Flex>
      ),
    },
  ];
}

/** The columns' widths add up to this: the list fits a 1280-pixel window beside the menu. */
export const imageTableWidth = 1036;
