import { SyncOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Flex, Table } from 'antd';
import { useEffect } from 'react';
import { GuardedButton } from '../access/guarded-button.tsx';
import type { SyncTask } from '../api/task-types.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { NoMatchState } from '../states/no-match-state.tsx';
import { KeysetPager } from './keyset-pager.tsx';
import { SyncTaskFilterBar } from './sync-task-filter-bar.tsx';
import { syncTaskColumns, syncTaskTableWidth } from './sync-task-columns.tsx';
import { hasTaskFilter, type SyncTaskFilter } from './task-list-params.ts';
import { taskQueryKeys } from './task-query-keys.ts';
import { useKeysetPages } from './use-keyset-pages.ts';
import { useSyncRunner } from './use-sync-runner.ts';
import { useSyncTaskPage } from './use-sync-task-page.ts';

/**
 * The sync task tab: filters, the newest syncs first (live while one runs), the pager, and "Sync
 * all", whose task joins the list as soon as it starts.
 */
export function SyncTasksTab({
  projectId,
  filter,
  pageSize,
  registryNames,
  registryCount,
  onFilter,
  onPageSize,
}: {
  readonly projectId: string;
  readonly filter: SyncTaskFilter;
  readonly pageSize: number;
  readonly registryNames: ReadonlyMap<string, string>;
  /** Undefined while the registries load. */
  readonly registryCount: number | undefined;
  readonly onFilter: (filter: SyncTaskFilter) => void;
  readonly onPageSize: (size: number) => void;
}) {
  const queryClient = useQueryClient();
  const pages = useKeysetPages(JSON.stringify([projectId, filter, pageSize]));
  const tasks = useSyncTaskPage(projectId, filter, pageSize, pages.cursor);
  const sync = useSyncRunner(projectId);
  const started = sync.lastTask?.id;
  useEffect(() => {
    // The runner polls its own task; the list learns of it at once and then polls while it runs.
    if (started !== undefined)
      void queryClient.invalidateQueries({ queryKey: taskQueryKeys.syncTasks(projectId) });
  }, [started, projectId, queryClient]);
  const filtered = hasTaskFilter(filter);
  const loading = tasks.isPending || tasks.isPlaceholderData;
  const syncAll = (
    <GuardedButton
      permission="registries:set"
      icon={<SyncOutlined spin={sync.running} />}
      loading={sync.running}
      onClick={() => sync.start()}
      unavailableReason={registryCount === 0 ? 'Add a registry first.' : undefined}
    >
      Sync all registries
    </GuardedButton>
  );
  return (
    <>
      <Flex justify="space-between" align="flex-start" gap={8}>
        <SyncTaskFilterBar filter={filter} onChange={onFilter} />
        {syncAll}
      </Flex>
      {tasks.isError ? (
        <ErrorState error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : (
        <>
          <Table<SyncTask>
            rowKey="id"
            size="middle"
            data-testid="sync-task-table"
            columns={syncTaskColumns(registryNames)}
            dataSource={[...(tasks.data?.rows ?? [])]}
            loading={loading}
            pagination={false}
            scroll={{ x: syncTaskTableWidth }}
            locale={{
              emptyText: tasks.isPending ? (
                ' '
              ) : filtered ? (
                <NoMatchState noun="sync task" onReset={() => onFilter({})} />
              ) : (
                <EmptyState
                  title="No sync tasks yet"
                  description="A sync refreshes the image list from the registries; one runs daily, or start one now."
                  action={syncAll}
                />
              ),
            }}
          />
          <KeysetPager
            pages={pages}
            next={loading ? undefined : tasks.data?.next}
            shown={tasks.data?.rows.length ?? 0}
            pageSize={pageSize}
            noun="sync tasks"
            onPageSize={onPageSize}
          />
        </>
      )}
    </>
  );
}
