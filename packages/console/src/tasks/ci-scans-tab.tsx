import { Flex, Input, Table, Typography } from 'antd';
import type { CiScan } from '../api/ci-scan-types.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { NoMatchState } from '../states/no-match-state.tsx';
import { ciScanColumns, ciScanTableWidth } from './ci-scan-columns.tsx';
import type { CiScanState } from './ci-scan-params.ts';
import { taskPageSizes } from './keyset-paging.ts';
import { useCiScanPage } from './use-ci-scans.ts';

/**
 * The CI scan tab: scans that pipelines ran with `drydock image --server` and uploaded, newest
 * first, filtered by a part of the reference and paged by the API (which counts them, so the pager
 * has pages, unlike the task lists).
 */
export function CiScansTab({
  projectId,
  state,
  pageSize,
  onState,
  onPageSize,
  onOpen,
}: {
  readonly projectId: string;
  readonly state: CiScanState;
  readonly pageSize: number;
  readonly onState: (state: Partial<CiScanState>) => void;
  readonly onPageSize: (size: number) => void;
  readonly onOpen: (scan: CiScan) => void;
}) {
  const scans = useCiScanPage(projectId, {
    ...(state.reference === undefined ? {} : { reference: state.reference }),
    offset: (state.page - 1) * pageSize,
    limit: pageSize,
  });
  const loading = scans.isPending || scans.isPlaceholderData;
  return (
    <>
      <Flex gap={8} wrap style={{ marginBottom: 16 }} role="search" aria-label="CI scan filters">
        <Input.Search
          // Remounts when the address changes (a reset, a link), so the box shows the applied value.
          key={state.reference ?? ''}
          defaultValue={state.reference}
          placeholder="Image reference"
          aria-label="Image reference"
          allowClear
          style={{ width: 320 }}
          onSearch={(value) =>
            onState({ reference: value.trim() === '' ? undefined : value.trim(), page: 1 })
          }
        />
      </Flex>
      {scans.isError ? (
        <ErrorState error={scans.error} onRetry={() => void scans.refetch()} />
      ) : (
        <Table<CiScan>
          rowKey="id"
          size="middle"
          data-testid="ci-scan-table"
          columns={ciScanColumns(onOpen)}
          dataSource={[...(scans.data?.ciScans ?? [])]}
          loading={loading}
          scroll={{ x: ciScanTableWidth }}
          pagination={{
            current: state.page,
            pageSize,
            total: scans.data?.total ?? 0,
            pageSizeOptions: taskPageSizes.map(String),
            showSizeChanger: true,
            hideOnSinglePage: false,
            showTotal: (total) => `${total.toLocaleString()} CI scans`,
            onChange: (page, size) => {
              if (size !== pageSize) onPageSize(size);
              else onState({ page });
            },
          }}
          locale={{
            emptyText: scans.isPending ? (
              ' '
            ) : state.reference !== undefined ? (
              <NoMatchState noun="CI scan" onReset={() => onState({ reference: undefined, page: 1 })} />
            ) : (
              <EmptyState
                title="No CI scans yet"
                description={
                  <>
                    A pipeline uploads its scan with{' '}
                    <Typography.Text code>drydock image --server URL --token-file FILE IMAGE</Typography.Text>
                    ; it then shows here.
                  </>
                }
              />
            ),
          }}
        />
      )}
    </>
  );
}
