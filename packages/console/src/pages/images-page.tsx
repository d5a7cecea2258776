import { ScanOutlined, SyncOutlined } from '@ant-design/icons';
import { Table, type TableProps } from 'antd';
import { useState } from 'react';
import { GuardedButton } from '../access/guarded-button.tsx';
import { usePermission } from '../access/use-permission.ts';
import { imageSortKeys, type ImageFilter, type RepositoryImage } from '../api/image-types.ts';
import { formatCount } from '../format/format-time.ts';
import { imageColumns, imageTableWidth } from '../images/image-columns.tsx';
import { ImageFilterBar } from '../images/image-filter-bar.tsx';
import {
  hasFilter,
  imagePageSizes,
  readImageListState,
  writeImageListState,
} from '../images/image-list-params.ts';
import { useImagePage } from '../images/use-image-page.ts';
import { useRegistries } from '../registries/use-registries.ts';
import { ScanDialog } from '../scan/scan-dialog.tsx';
import { useAddressState } from '../shell/use-address-search.ts';
import { useCurrentProjectId } from '../shell/use-project-id.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { NoMatchState } from '../states/no-match-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';
import { RefreshButton } from '../states/refresh-button.tsx';
import { useDialogState } from '../states/use-dialog-state.ts';
import { useSyncRunner } from '../tasks/use-sync-runner.ts';

/**
 * Repository images: the project's images with the filters of PRODUCT.md 3.1, paged and sorted by
 * the API, with bulk selection, "Synchronize images" and the scan dialog.
 */
export function ImagesPage() {
  const projectId = useCurrentProjectId();
  const [state, update] = useAddressState(readImageListState, writeImageListState);
  const images = useImagePage(projectId, state);
  const mayListRegistries = usePermission('registries:list').allowed;
  const registries = useRegistries(projectId, mayListRegistries);
  const sync = useSyncRunner(projectId);
  const [selected, setSelected] = useState<readonly string[]>([]);
  const scanDialog = useDialogState<readonly string[]>();

  const setFilter = (filter: ImageFilter) => {
    setSelected([]);
    update({ filter, page: 1 });
  };
  const columns = imageColumns({
    projectId,
    sort: state.sort,
    order: state.order,
    onScan: (image) => scanDialog.show([image.id]),
  });
  const onTableChange: TableProps<RepositoryImage>['onChange'] = (pagination, _filters, sorter) => {
    const single = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = imageSortKeys.find((candidate) => candidate === single?.columnKey);
    const sorting =
      single?.order && key
        ? { sort: key, order: single.order === 'descend' ? ('desc' as const) : ('asc' as const) }
        : { sort: undefined, order: 'asc' as const };
    const sortChanged = sorting.sort !== state.sort || sorting.order !== state.order;
    update({
      ...sorting,
      page: sortChanged ? 1 : (pagination.current ?? 1),
      pageSize: pagination.pageSize ?? state.pageSize,
    });
  };

  const total = images.data?.total ?? 0;
  const totalText = `${formatCount(total)}${images.data?.totalIsLowerBound ? '+' : ''}`;
  const filtered = hasFilter(state.filter);
  return (
    <PageFrame
      title="Repository images"
      description="Every tag of the connected registries, its scan status and its risks."
      actions={
        <>
          <RefreshButton query={images} />
          <GuardedButton
            permission="registries:set"
            icon={<SyncOutlined spin={sync.running} />}
            onClick={() => sync.start()}
            loading={sync.running}
          >
            Synchronize images
          </GuardedButton>
          <GuardedButton
            permission="images:set"
            type="primary"
            icon={<ScanOutlined />}
            data-testid="scan-images"
            onClick={() => scanDialog.show(selected)}
            unavailableReason={total === 0 ? 'There are no images to scan.' : undefined}
          >
            {selected.length > 0 ? `Scan ${formatCount(selected.length)} selected` : 'Scan'}
          </GuardedButton>
        </>
      }
    >
      <ImageFilterBar
        filter={state.filter}
        registries={mayListRegistries ? (registries.data ?? []) : undefined}
        onChange={setFilter}
      />
      {images.isError ? (
        <ErrorState error={images.error} onRetry={() => void images.refetch()} />
      ) : (
        <Table<RepositoryImage>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={images.data?.images ?? []}
          // Background polls keep the rows clickable; a new page, sort or filter shows it is loading.
          loading={images.isPending || images.isPlaceholderData}
          onChange={onTableChange}
          scroll={{ x: imageTableWidth }}
          rowSelection={{
            selectedRowKeys: [...selected],
            preserveSelectedRowKeys: true,
            onChange: (keys) => setSelected(keys.map(String)),
          }}
          pagination={{
            current: state.page,
            pageSize: state.pageSize,
            total,
            showSizeChanger: true,
            pageSizeOptions: imagePageSizes.map(String),
            showTotal: (_count, [from, to]) =>
              `${formatCount(from)}–${formatCount(to)} of ${totalText} images`,
          }}
          locale={{
            emptyText: images.isPending ? (
              ' '
            ) : filtered ? (
              <NoMatchState noun="image" onReset={() => setFilter({})} />
            ) : (
              <EmptyState
                title="No images yet"
                description="Connect a registry on the Registries page, then synchronize the image list."
                action={
                  <GuardedButton
                    permission="registries:set"
                    onClick={() => sync.start()}
                    loading={sync.running}
                  >
                    Synchronize images
                  </GuardedButton>
                }
              />
            ),
          }}
        />
      )}
      <ScanDialog
        key={scanDialog.key}
        open={scanDialog.open}
        onClose={scanDialog.close}
        projectId={projectId}
        selectedImageIds={scanDialog.value ?? []}
        filter={state.filter}
        registries={mayListRegistries ? registries.data : undefined}
      />
    </PageFrame>
  );
}
