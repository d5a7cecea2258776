import { Alert, Card, Descriptions, Flex, Tag, Typography } from 'antd';
import type { ImageOverview } from '../api/report-types.ts';
import { formatBytes } from '../format/format-bytes.ts';
import { formatTime } from '../format/format-time.ts';
import { registryTypeLabels } from '../format/registry-type.ts';
import { failureRemedies } from '../format/scan-status.ts';
import { RiskCell } from '../images/risk-cell.tsx';
import { ScanStatusTag } from '../images/scan-status-tag.tsx';

/**
 * The image's basic information (PRODUCT.md section 4's report header): name, tag, digest,
 * registry, size, platforms, scan status (a failure with its reason and what to do about it),
 * last scan, and the risk level with the open findings of every platform together.
 */
export function ImageInfoCard({ overview }: { readonly overview: ImageOverview }) {
  const { image, platforms } = overview;
  const databaseBuiltAt = platforms.find((result) => result.databaseBuiltAt !== null)?.databaseBuiltAt;
  const matchedAt = platforms
    .map((result) => result.matchedAt)
    .sort()
    .at(-1);
  const remedy = image.failureCode ? failureRemedies[image.failureCode] : undefined;
  return (
    <Card title="Basic information" data-testid="image-info">
      {image.deletedAt ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={`The registry no longer has this tag (since ${formatTime(image.deletedAt)}).`}
          description="The report shows the last results; synchronize the image list to remove the image."
        />
      ) : null}
      {image.scanStatus === 'failed' ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="scan-failure"
          title={`The last scan failed: ${image.failureCode ?? 'failed'}`}
          description={
            <>
              {image.failureMessage ? <div>{image.failureMessage}</div> : null}
              {remedy ? <div>{remedy}</div> : null}
            </>
          }
        />
      ) : null}
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2, xl: 3 }}
        items={[
          { key: 'repository', label: 'Image', children: image.repository },
          { key: 'tag', label: 'Tag', children: image.tag },
          { key: 'namespace', label: 'Namespace', children: image.namespace || '—' },
          {
            key: 'registry',
            label: 'Registry',
            children: (
              <Flex gap={6} align="center" wrap>
                {image.connectionName}
                <Tag>{registryTypeLabels[image.registryType]}</Tag>
              </Flex>
            ),
          },
          { key: 'size', label: 'Size', children: formatBytes(image.size) },
          {
            key: 'platforms',
            label: 'Platforms',
            children:
              image.platforms.length === 0 ? (
                'Single platform'
              ) : (
                <Flex gap={4} wrap>
                  {image.platforms.map((entry) => (
                    <Tag key={entry.digest}>{entry.platform}</Tag>
                  ))}
                </Flex>
              ),
          },
          {
            key: 'digest',
            label: 'Digest',
            span: 'filled',
            children: (
              <Typography.Text className="mono" copyable>
                {image.digest}
              </Typography.Text>
            ),
          },
          { key: 'pushed', label: 'Pushed', children: formatTime(image.pushedAt) },
          { key: 'status', label: 'Scan status', children: <ScanStatusTag image={image} /> },
          { key: 'lastScan', label: 'Last scan', children: formatTime(image.lastScanAt, 'Never') },
          {
            key: 'database',
            label: 'Vulnerability data built',
            children: databaseBuiltAt
              ? formatTime(databaseBuiltAt)
              : platforms.length === 0
                ? '—'
                : 'Not used (no vulnerability database)',
          },
          { key: 'matched', label: 'Findings matched', children: formatTime(matchedAt) },
          {
            key: 'risk',
            label: 'Risk (all platforms)',
            span: 'filled',
            children: <RiskCell image={image} />,
          },
        ]}
      />
    </Card>
  );
}
