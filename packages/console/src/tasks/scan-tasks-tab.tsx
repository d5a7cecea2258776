import { Table } from 'antd';
import { Link } from 'react-router';
import type { ScanTask } from '../api/task-types.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { NoMatchState } from '../states/no-match-state.tsx';
import { KeysetPager } from './keyset-pager.tsx';
import { scanTaskColumns, scanTaskTableWidth } from './scan-task-columns.tsx';
import { ScanTaskFilterBar } from './scan-task-filter-bar.tsx';
import { hasTaskFilter, type ScanTaskFilter } from './task-list-params.ts';
import { useKeysetPages } from './use-keyset-pages.ts';
import { useScanTaskPage } from './use-scan-task-page.ts';

/** The scan task tab: filters, the newest tasks first with live progress, and the pager. */
export function ScanTasksTab({
  projectId,
  filter,
  pageSize,
  registryNames,
  onFilter,
  onPageSize,
  onOpen,
}: {
  readonly projectId: string;
  readonly filter: ScanTaskFilter;
  readonly pageSize: number;
  readonly registryNames: ReadonlyMap<string, string>;
  readonly onFilter: (filter: ScanTaskFilter) => void;
  readonly onPageSize: (size: number) => void;
  readonly onOpen: (task: ScanTask) => void;
}) {
  const pages = useKeysetPages(JSON.stringify([projectId, filter, pageSize]));
  const tasks = useScanTaskPage(projectId, filter, pageSize, pages.cursor);
  const filtered = hasTaskFilter(filter);
  const loading = tasks.isPending || tasks.isPlaceholderData;
  return (
    <>
      <ScanTaskFilterBar filter={filter} onChange={onFilter} />
      {tasks.isError ? (
        <ErrorState error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : (
        <>
          <Table<ScanTask>
            rowKey="id"
            size="middle"
            data-testid="scan-task-table"
            columns={scanTaskColumns({ projectId, registryNames, onOpen })}
            dataSource={[...(tasks.data?.rows ?? [])]}
            loading={loading}
            pagination={false}
            scroll={{ x: scanTaskTableWidth }}
            locale={{
              emptyText: tasks.isPending ? (
                ' '
              ) : filtered ? (
                <NoMatchState noun="scan task" onReset={() => onFilter({})} />
              ) : (
                <EmptyState
                  title="No scan tasks yet"
                  description={
                    <>
                      Start a scan on the{' '}
                      <Link to={`/projects/${encodeURIComponent(projectId)}/images`}>Repository images</Link>{' '}
                      page; the scheduled policy starts its own.
                    </>
                  }
                />
              ),
            }}
          />
          <KeysetPager
            pages={pages}
            next={loading ? undefined : tasks.data?.next}
            shown={tasks.data?.rows.length ?? 0}
            pageSize={pageSize}
            noun="scan tasks"
            onPageSize={onPageSize}
          />
        </>
      )}
    </>
  );
}
