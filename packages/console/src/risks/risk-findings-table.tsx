import { Button, Flex, Table, Typography, type TableColumnsType } from 'antd';
import { useState, type ReactNode } from 'react';
import type { HandlingState } from '../api/handling-types.ts';
import type { RiskFinding, RiskViewKind } from '../api/risk-types.ts';
import { formatCount } from '../format/format-time.ts';
import { HandlingStateTag } from '../handling/handling-state-tag.tsx';
import { AffectedImageLink } from './affected-image-link.tsx';
import { AffectedImagesTable } from './affected-images-table.tsx';
import { findingColumns } from './finding-columns.tsx';
import { findingLabels } from './finding-label.ts';
import { riskKindInfo } from './risk-kinds.ts';
import { riskPageSizes } from './risk-view-params.ts';

export interface RiskFindingsTableProps<K extends RiskViewKind> {
  readonly projectId: string;
  readonly kind: K;
  readonly findings: readonly RiskFinding<K>[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly loading: boolean;
  /** The view's handling filter: the expanded image lists apply it too. */
  readonly handling: readonly HandlingState[] | undefined;
  readonly onPage: (page: number, pageSize: number) => void;
  readonly empty: ReactNode;
}

/**
 * A page of a risk view: the finding's own columns, how many images it affects and the first few
 * of them; a row expands to every affected image (paged by the API).
 */
export function RiskFindingsTable<K extends RiskViewKind>({
  projectId,
  kind,
  findings,
  total,
  page,
  pageSize,
  loading,
  handling,
  onPage,
  empty,
}: RiskFindingsTableProps<K>) {
  const info = riskKindInfo[kind];
  const label: (group: RiskFinding<K>) => string = findingLabels[kind];
  const [expanded, setExpanded] = useState<readonly string[]>([]);
  const toggle = (key: string, open: boolean) =>
    setExpanded((current) => (open ? [...current, key] : current.filter((entry) => entry !== key)));

  const imageColumns: TableColumnsType<RiskFinding<K>> = [
    {
      title: 'Images',
      key: 'imageCount',
      width: 76,
      align: 'right',
      render: (_value, group) => (
        <Typography.Text strong data-testid="image-count">
          {formatCount(group.imageCount)}
        </Typography.Text>
      ),
    },
    {
      title: 'Affected images',
      key: 'images',
      width: 220,
      render: (_value, group) => {
        const more = group.imageCount - group.images.length;
        return (
          <Flex vertical gap={2} align="flex-start" data-testid="first-images">
            {group.images.map((affected) => (
              <Flex key={affected.image.id} gap={6} align="center" wrap>
                <AffectedImageLink projectId={projectId} affected={affected} reportTab={info.reportTab} />
                {info.handling.length > 0 ? <HandlingStateTag state={affected.handling} /> : null}
              </Flex>
            ))}
            {more > 0 && !expanded.includes(group.key) ? (
              <Button
                type="link"
                size="small"
                style={{ padding: 0, height: 'auto' }}
                onClick={() => toggle(group.key, true)}
              >
                and {formatCount(more)} more
              </Button>
            ) : null}
          </Flex>
        );
      },
    },
  ];
  return (
    <Table<RiskFinding<K>>
      rowKey="key"
      size="middle"
      aria-label={`${info.label} across images`}
      columns={[...findingColumns[kind], ...imageColumns]}
      dataSource={[...findings]}
      loading={loading}
      // Fixed: the widths hold even beside long unbreakable text (masked excerpts, purls).
      tableLayout="fixed"
      scroll={{ x: 1000 }}
      expandable={{
        expandedRowKeys: [...expanded],
        onExpand: (open, group) => toggle(group.key, open),
        expandedRowRender: (group) => (
          <AffectedImagesTable
            projectId={projectId}
            kind={kind}
            findingKey={group.key}
            findingLabel={label(group)}
            handling={handling}
          />
        ),
      }}
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: true,
        pageSizeOptions: riskPageSizes.map(String),
        onChange: onPage,
        showTotal: (_count, [from, to]) =>
          `${formatCount(from)}–${formatCount(to)} of ${formatCount(total)} ${info.plural}`,
      }}
      locale={{ emptyText: empty }}
    />
  );
}
