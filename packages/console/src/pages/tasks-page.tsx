import { ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Tabs, Tooltip } from 'antd';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { usePermission } from '../access/use-permission.ts';
import { useRegistries } from '../registries/use-registries.ts';
import { useCurrentProjectId } from '../shell/use-project-id.ts';
import { PageFrame } from '../states/page-frame.tsx';
import { ScanTaskDrawer } from '../tasks/scan-task-drawer.tsx';
import { ScanTasksTab } from '../tasks/scan-tasks-tab.tsx';
import { SyncTasksTab } from '../tasks/sync-tasks-tab.tsx';
import {
  readTaskManagerState,
  taskTabs,
  writeTaskManagerState,
  type TaskManagerState,
} from '../tasks/task-list-params.ts';
import { taskQueryKeys } from '../tasks/task-query-keys.ts';

/**
 * The task manager (PRODUCT.md 3.3): scan tasks and sync tasks on two tabs, each filtered and paged
 * by the API and live while something runs; a scan task's detail (counts, chart, images with their
 * failure reasons, Stop) opens beside the list from a row or from `?scanTask=<id>`.
 */
export function TasksPage() {
  const projectId = useCurrentProjectId();
  const queryClient = useQueryClient();
  const [search, setSearch] = useSearchParams();
  const state = readTaskManagerState(search);
  const syncAccess = usePermission('registries:list');
  const registries = useRegistries(projectId, syncAccess.allowed);
  const registryNames = useMemo(
    () => new Map((registries.data ?? []).map((registry) => [registry.id, registry.name])),
    [registries.data],
  );
  const update = (next: Partial<TaskManagerState>) => setSearch(writeTaskManagerState({ ...state, ...next }));
  const tab = state.tab === 'sync' && !syncAccess.allowed ? 'scan' : state.tab;

  return (
    <PageFrame
      title="Tasks"
      description="Scan tasks and image list syncs: their progress, outcome and failures."
      actions={
        <Button
          icon={<ReloadOutlined />}
          onClick={() =>
            void queryClient.invalidateQueries({
              queryKey:
                tab === 'scan' ? taskQueryKeys.scanTasks(projectId) : taskQueryKeys.syncTasks(projectId),
            })
          }
        >
          Refresh
        </Button>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(key) => update({ tab: taskTabs.find((candidate) => candidate === key) ?? 'scan' })}
        destroyOnHidden
        items={[
          {
            key: 'scan',
            label: 'Scan tasks',
            children: (
              <ScanTasksTab
                projectId={projectId}
                filter={state.scanFilter}
                pageSize={state.pageSize}
                registryNames={registryNames}
                onFilter={(scanFilter) => update({ scanFilter })}
                onPageSize={(pageSize) => update({ pageSize })}
                onOpen={(task) => update({ scanTaskId: task.id })}
              />
            ),
          },
          {
            key: 'sync',
            disabled: !syncAccess.allowed,
            label: syncAccess.allowed ? (
              'Sync tasks'
            ) : (
              <Tooltip title={syncAccess.reason}>
                <span data-disabled-reason={syncAccess.reason}>Sync tasks</span>
              </Tooltip>
            ),
            children: (
              <SyncTasksTab
                projectId={projectId}
                filter={state.syncFilter}
                pageSize={state.pageSize}
                registryNames={registryNames}
                registryCount={registries.data?.length}
                onFilter={(syncFilter) => update({ syncFilter })}
                onPageSize={(pageSize) => update({ pageSize })}
              />
            ),
          },
        ]}
      />
      <ScanTaskDrawer
        projectId={projectId}
        taskId={state.scanTaskId}
        registryNames={registryNames}
        onClose={() => update({ scanTaskId: undefined })}
      />
    </PageFrame>
  );
}
