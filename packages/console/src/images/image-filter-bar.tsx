import { Button, DatePicker, Flex, Input, Select } from 'antd';
import dayjs from 'dayjs';
import { imageScanStatuses, registryTypes, type ImageFilter } from '../api/image-types.ts';
import type { RegistryConnection } from '../api/registry-types.ts';
import { scanStatusLabels } from '../format/scan-status.ts';
import { registryTypeLabels } from '../format/registry-type.ts';
import { hasFilter } from './image-list-params.ts';

/**
 * The filters of the repository image list (PRODUCT.md 3.1), all applied by the API: text fields
 * on Enter, lists and dates at once. `registries` is undefined when the user may not list them.
 */
export function ImageFilterBar({
  filter,
  registries,
  onChange,
}: {
  readonly filter: ImageFilter;
  readonly registries: readonly RegistryConnection[] | undefined;
  readonly onChange: (filter: ImageFilter) => void;
}) {
  const set = (change: Partial<ImageFilter>) => onChange({ ...filter, ...change });
  const text = (field: 'name' | 'namespace' | 'tag', placeholder: string, width: number) => (
    <Input.Search
      // Remounts when the address changes (a reset, a link), so the box shows the applied value.
      key={`${field}:${filter[field] ?? ''}`}
      defaultValue={filter[field]}
      placeholder={placeholder}
      aria-label={placeholder}
      allowClear
      style={{ width }}
      onSearch={(value) => set({ [field]: value.trim() === '' ? undefined : value.trim() })}
    />
  );
  const updated = filter.updatedAfter !== undefined || filter.updatedBefore !== undefined;
  return (
    <Flex gap={8} wrap style={{ marginBottom: 16 }} role="search" aria-label="Image filters">
      {text('name', 'Image name or tag', 220)}
      {text('namespace', 'Namespace', 150)}
      {text('tag', 'Tag', 120)}
      <Select
        mode="multiple"
        allowClear
        placeholder="Scan status"
        aria-label="Scan status"
        style={{ minWidth: 160 }}
        maxTagCount="responsive"
        value={filter.status ?? []}
        options={imageScanStatuses.map((status) => ({ value: status, label: scanStatusLabels[status] }))}
        onChange={(status) => set({ status: status.length === 0 ? undefined : status })}
      />
      {registries === undefined ? null : (
        <Select
          mode="multiple"
          allowClear
          placeholder="Registry"
          aria-label="Registry"
          style={{ minWidth: 150 }}
          maxTagCount="responsive"
          value={filter.registryId ?? []}
          options={registries.map((registry) => ({ value: registry.id, label: registry.name }))}
          onChange={(ids) => set({ registryId: ids.length === 0 ? undefined : ids })}
        />
      )}
      <Select
        mode="multiple"
        allowClear
        placeholder="Registry type"
        aria-label="Registry type"
        style={{ minWidth: 150 }}
        maxTagCount="responsive"
        value={filter.registryType ?? []}
        options={registryTypes.map((type) => ({ value: type, label: registryTypeLabels[type] }))}
        onChange={(types) => set({ registryType: types.length === 0 ? undefined : types })}
      />
      <DatePicker.RangePicker
        aria-label="Updated between"
        placeholder={['Updated from', 'until']}
        allowEmpty={[true, true]}
        value={
          updated
            ? [
                filter.updatedAfter ? dayjs(filter.updatedAfter) : null,
                filter.updatedBefore ? dayjs(filter.updatedBefore).subtract(1, 'day') : null,
              ]
            : null
        }
        onChange={(range) =>
          set({
            updatedAfter: range?.[0]?.startOf('day').toISOString(),
            // The API's bound is exclusive: the end day is included up to its last instant.
            updatedBefore: range?.[1]?.startOf('day').add(1, 'day').toISOString(),
          })
        }
      />
      <Button onClick={() => onChange({})} disabled={!hasFilter(filter)}>
        Reset filters
      </Button>
    </Flex>
  );
}
