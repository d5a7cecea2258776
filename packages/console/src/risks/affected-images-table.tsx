import { Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import type { HandlingState } from '../api/handling-types.ts';
import type { AffectedImage, RiskViewKind } from '../api/risk-types.ts';
import { formatCount } from '../format/format-time.ts';
import { registryTypeLabels } from '../format/registry-type.ts';
import { ErrorState } from '../states/error-state.tsx';
import { HandlingStateTag } from '../handling/handling-state-tag.tsx';
import { AffectedImageLink, PlatformTags } from './affected-image-link.tsx';
import { riskKindInfo } from './risk-kinds.ts';
import { useAffectedImages } from './use-affected-images.ts';

const pageSize = 10;

/**
 * Every image a finding affects (the view's row lists the first few), paged by the API: each links
 * to its report, with the platforms holding the finding and, where the kind has handling, its
 * state in that image.
 */
export function AffectedImagesTable({
  projectId,
  kind,
  findingKey,
  findingLabel,
  handling,
}: {
  readonly projectId: string;
  readonly kind: RiskViewKind;
  readonly findingKey: string;
  /** What the finding is called on screen, for the table's accessible name. */
  readonly findingLabel: string;
  /** The view's handling filter, so the list holds the images the view counted. */
  readonly handling: readonly HandlingState[] | undefined;
}) {
  const [page, setPage] = useState(1);
  const info = riskKindInfo[kind];
  const images = useAffectedImages(projectId, kind, findingKey, handling, { current: page, size: pageSize });
  const columns: TableColumnsType<AffectedImage> = [
    {
      title: 'Image',
      key: 'image',
      render: (_value, affected) => (
        <Flex vertical gap={2}>
          <AffectedImageLink projectId={projectId} affected={affected} reportTab={info.reportTab} />
          <Typography.Text type="secondary" className="mono">
            {affected.image.digest.slice(0, 19)}…
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: 'Registry',
      key: 'registry',
      width: 220,
      render: (_value, affected) => (
        <Flex gap={6} align="center">
          <span>{affected.image.connectionName}</span>
          <Tag style={{ marginInlineEnd: 0 }}>{registryTypeLabels[affected.image.registryType]}</Tag>
        </Flex>
      ),
    },
    {
      title: 'Platforms',
      key: 'platforms',
      width: 240,
      render: (_value, affected) => <PlatformTags affected={affected} />,
    },
    ...(info.handling.length > 0
      ? [
          {
            title: 'Handling',
            key: 'handling',
            width: 140,
            render: (_value: unknown, affected: AffectedImage) => (
              <HandlingStateTag state={affected.handling} />
            ),
          },
        ]
      : []),
  ];
  if (images.isError) return <ErrorState error={images.error} onRetry={() => void images.refetch()} />;
  const total = images.data?.total ?? 0;
  return (
    <Table<AffectedImage>
      rowKey={(affected) => affected.image.id}
      size="small"
      aria-label={`Images affected by ${findingLabel}`}
      data-testid="affected-images"
      columns={columns}
      dataSource={images.data?.images ?? []}
      loading={images.isPending || images.isPlaceholderData}
      pagination={{
        current: page,
        pageSize,
        total,
        hideOnSinglePage: true,
        showSizeChanger: false,
        onChange: setPage,
        showTotal: (_count, [from, to]) =>
          `${formatCount(from)}–${formatCount(to)} of ${formatCount(total)} images`,
      }}
    />
  );
}
