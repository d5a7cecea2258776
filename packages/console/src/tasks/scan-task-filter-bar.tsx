import { Button, Flex, Input, Select } from 'antd';
import { scanTaskStatuses, scanTaskTypes } from '../api/task-types.ts';
import { hasTaskFilter, type ScanTaskFilter } from './task-list-params.ts';
import { scanTaskStatusLooks, scanTaskTypeLabels } from './task-labels.ts';
import { TaskTimeRange } from './task-time-range.tsx';

/** The scan task list's filters of PRODUCT.md 3.3 (type, name, status, time range), applied by the API. */
export function ScanTaskFilterBar({
  filter,
  onChange,
}: {
  readonly filter: ScanTaskFilter;
  readonly onChange: (filter: ScanTaskFilter) => void;
}) {
  const set = (change: Partial<ScanTaskFilter>) => onChange({ ...filter, ...change });
  return (
    <Flex gap={8} wrap style={{ marginBottom: 16 }} role="search" aria-label="Scan task filters">
      <Input.Search
        // Remounts when the address changes (a reset, a link), so the box shows the applied value.
        key={`name:${filter.name ?? ''}`}
        defaultValue={filter.name}
        placeholder="Task name"
        aria-label="Task name"
        allowClear
        style={{ width: 200 }}
        onSearch={(value) => set({ name: value.trim() === '' ? undefined : value.trim() })}
      />
      <Select
        allowClear
        placeholder="Type"
        aria-label="Type"
        style={{ width: 130 }}
        value={filter.type ?? null}
        options={scanTaskTypes.map((type) => ({ value: type, label: scanTaskTypeLabels[type] }))}
        onChange={(type) => set({ type: type ?? undefined })}
      />
      <Select
        mode="multiple"
        allowClear
        placeholder="Status"
        aria-label="Status"
        style={{ minWidth: 160 }}
        maxTagCount="responsive"
        value={filter.status ?? []}
        options={scanTaskStatuses.map((status) => ({
          value: status,
          label: scanTaskStatusLooks[status].label,
        }))}
        onChange={(status) => set({ status: status.length === 0 ? undefined : status })}
      />
      <TaskTimeRange label="Started" from={filter.from} to={filter.to} onChange={set} />
      <Button onClick={() => onChange({})} disabled={!hasTaskFilter(filter)}>
        Reset filters
      </Button>
    </Flex>
  );
}
