import { AutoComplete, Button, DatePicker, Flex, Input } from 'antd';
import dayjs from 'dayjs';
import type { AuditFilter } from '../api/audit-types.ts';
import { hasAuditFilter } from './audit-list-params.ts';
import { knownAuditActions, knownAuditObjectTypes } from './audit-vocabulary.ts';

type TextField = 'userName' | 'action' | 'objectType' | 'objectId';

function suggestions(values: readonly string[]) {
  return values.map((value) => ({ value }));
}

/**
 * The audit log's filters, all applied by the API: who (the actor's user name), what (the exact
 * action, with the known ones suggested), on what (object type and id), and when (a time range;
 * the end is exclusive, as the API takes it). Text fields apply on Enter or on picking a suggestion.
 */
export function AuditFilterBar({
  filter,
  onChange,
}: {
  readonly filter: AuditFilter;
  readonly onChange: (filter: AuditFilter) => void;
}) {
  const set = (field: TextField, value: string) =>
    onChange({ ...filter, [field]: value.trim() === '' ? undefined : value.trim() });
  const search = (field: TextField, label: string, width: number, options?: readonly string[]) => {
    const box = (
      <Input.Search
        placeholder={label}
        aria-label={label}
        allowClear
        onSearch={(value) => set(field, value)}
        style={{ width }}
        {...(options ? {} : { defaultValue: filter[field] })}
      />
    );
    return options ? (
      <AutoComplete
        // Remounts when the address changes (a reset, a link), so the box shows the applied value.
        key={`${field}:${filter[field] ?? ''}`}
        defaultValue={filter[field]}
        options={suggestions(options)}
        showSearch={{
          filterOption: (input, option) => (option?.value ?? '').toLowerCase().includes(input.toLowerCase()),
        }}
        onSelect={(value: string) => set(field, value)}
        style={{ width }}
      >
        {box}
      </AutoComplete>
    ) : (
      <span key={`${field}:${filter[field] ?? ''}`}>{box}</span>
    );
  };
  return (
    <Flex gap={8} wrap style={{ marginBottom: 16 }} role="search" aria-label="Audit log filters">
      {search('userName', 'User name', 160)}
      {search('action', 'Action', 200, knownAuditActions)}
      {search('objectType', 'Object type', 160, knownAuditObjectTypes)}
      {search('objectId', 'Object id', 200)}
      <DatePicker.RangePicker
        showTime={{ format: 'HH:mm' }}
        format="YYYY-MM-DD HH:mm"
        aria-label="Time range"
        placeholder={['From', 'Until']}
        allowEmpty={[true, true]}
        value={
          filter.from !== undefined || filter.to !== undefined
            ? [filter.from ? dayjs(filter.from) : null, filter.to ? dayjs(filter.to) : null]
            : null
        }
        onChange={(range) =>
          onChange({
            ...filter,
            from: range?.[0]?.toISOString(),
            to: range?.[1]?.toISOString(),
          })
        }
      />
      <Button onClick={() => onChange({})} disabled={!hasAuditFilter(filter)}>
        Reset filters
      </Button>
    </Flex>
  );
}
