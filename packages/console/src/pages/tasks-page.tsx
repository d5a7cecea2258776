import { ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Tabs, Tooltip } from 'antd';
import { useMemo } from 'react';
import { usePermission } from '../access/use-permission.ts';
import { useRegistries } from '../registries/use-registries.ts';
import { useAddressSearch } from '../shell/use-address-search.ts';
import { useCurrentProjectId } from '../shell/use-project-id.ts';
import { PageFrame } from '../states/page-frame.tsx';
import { CiScanDrawer } from '../tasks/ci-scan-drawer.tsx';
import { isCiTab, readCiScanState, writeCiScanState, type CiScanState } from '../tasks/ci-scan-params.ts';
import { ciScanQueryKeys } from '../tasks/ci-scan-query-keys.ts';
import { CiScansTab } from '../tasks/ci-scans-tab.tsx';
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
 * The task manager (PRODUCT.md 3.3): scan tasks, sync tasks and CI scans on three tabs, each
 * filtered and paged by the API and live while something runs; a scan task's detail (counts,
 * chart, images with their failure reasons, Stop) opens beside the list from a row or from
 * `?scanTask=<id>`, a CI scan's (counts, findings, the report) from a row or `?tab=ci&ciScan=<id>`.
 */
export function TasksPage() {
  const projectId = useCurrentProjectId();
  const queryClient = useQueryClient();
  const [search, changeSearch] = useAddressSearch();
  const state = readTaskManagerState(search);
  const syncAccess = usePermission('registries:list');
  const registries = useRegistries(projectId, syncAccess.allowed);
  const registryNames = useMemo(
    () => new Map((registries.data ?? []).map((registry) => [registry.id, registry.name])),
    [registries.data],
  );
  const onCi = isCiTab(search);
  const ci = readCiScanState(search);
  // The CI tab's keys are its own (ci-scan-params.ts): written over the other tabs' state.
  // `ciActive` undefined keeps the tab the address shows.
  const write = (next: Partial<TaskManagerState>, nextCi: Partial<CiScanState>, ciActive?: boolean) =>
    changeSearch((current) =>
      writeCiScanState(
        writeTaskManagerState({ ...readTaskManagerState(current), ...next }),
        { ...readCiScanState(current), ...nextCi },
        ciActive ?? isCiTab(current),
      ),
    );
  const update = (next: Partial<TaskManagerState>) => write(next, {});
  const updateCi = (nextCi: Partial<CiScanState>) => write({}, nextCi);
  const tab = onCi ? 'ci' : state.tab === 'sync' && !syncAccess.allowed ? 'scan' : state.tab;

  return (
    <PageFrame
      title="Tasks"
      description="Scan tasks, image list syncs and scans uploaded from CI: their progress, outcome and failures."
      actions={
        <Button
          icon={<ReloadOutlined />}
          onClick={() =>
            void queryClient.invalidateQueries({
              queryKey:
                tab === 'ci'
                  ? ciScanQueryKeys.ciScans(projectId)
                  : tab === 'scan'
                    ? taskQueryKeys.scanTasks(projectId)
                    : taskQueryKeys.syncTasks(projectId),
            })
          }
        >
          Refresh
        </Button>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(key) =>
          key === 'ci'
            ? write({}, {}, true)
            : write({ tab: taskTabs.find((candidate) => candidate === key) ?? 'scan' }, {}, false)
        }
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
          {
            key: 'ci',
            label: 'CI scans',
            children: (
              <CiScansTab
                projectId={projectId}
                state={ci}
                pageSize={state.pageSize}
                onState={updateCi}
                onPageSize={(pageSize) => write({ pageSize }, { page: 1 }, true)}
                onOpen={(scan) => updateCi({ ciScanId: scan.id })}
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
      <CiScanDrawer
        projectId={projectId}
        ciScanId={ci.ciScanId}
        onClose={() => updateCi({ ciScanId: undefined })}
      />
    </PageFrame>
  );
}
