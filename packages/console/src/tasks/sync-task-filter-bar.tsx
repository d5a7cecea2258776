import { Button, Flex, Select } from 'antd';
import { syncStatuses, syncTriggers } from '../api/task-types.ts';
import { hasTaskFilter, type SyncTaskFilter } from './task-list-params.ts';
import { syncStatusLooks, syncTriggerLabels } from './task-labels.ts';
import { TaskTimeRange } from './task-time-range.tsx';

/** The sync task list's filters (trigger, status, time range), applied by the API. */
export function SyncTaskFilterBar({
  filter,
  onChange,
}: {
  readonly filter: SyncTaskFilter;
  readonly onChange: (filter: SyncTaskFilter) => void;
}) {
  const set = (change: Partial<SyncTaskFilter>) => onChange({ ...filter, ...change });
  return (
    <Flex gap={8} wrap style={{ marginBottom: 16 }} role="search" aria-label="Sync task filters">
      <Select
        allowClear
        placeholder="Trigger"
        aria-label="Trigger"
        style={{ width: 130 }}
        value={filter.trigger ?? null}
        options={syncTriggers.map((trigger) => ({ value: trigger, label: syncTriggerLabels[trigger] }))}
        onChange={(trigger) => set({ trigger: trigger ?? undefined })}
      />
      <Select
        mode="multiple"
        allowClear
        placeholder="Status"
        aria-label="Sync status"
        style={{ minWidth: 160 }}
        maxTagCount="responsive"
        value={filter.status ?? []}
        options={syncStatuses.map((status) => ({ value: status, label: syncStatusLooks[status].label }))}
        onChange={(status) => set({ status: status.length === 0 ? undefined : status })}
      />
      <TaskTimeRange label="Started" from={filter.from} to={filter.to} onChange={set} />
      <Button onClick={() => onChange({})} disabled={!hasTaskFilter(filter)}>
        Reset filters
      </Button>
    </Flex>
  );
}
