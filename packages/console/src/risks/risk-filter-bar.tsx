import { Button, Flex, Input, Select } from 'antd';
import type { HandlingState, SeverityLevel } from '../api/handling-types.ts';
import { riskLevelLabels } from '../format/risk-level.ts';
import { handlingStateLabels } from '../handling/handling-labels.ts';
import type { RiskKindInfo } from './risk-kinds.ts';
import { hasRiskFilter, maxSearchLength, type RiskViewFilter } from './risk-view-params.ts';

/**
 * The filters of a risk view, all applied by the API: severity (not for the inventory), the
 * handling state where the kind has one, and a search in the finding key (on Enter).
 */
export function RiskFilterBar({
  info,
  filter,
  onChange,
}: {
  readonly info: RiskKindInfo;
  readonly filter: RiskViewFilter;
  readonly onChange: (filter: RiskViewFilter) => void;
}) {
  const set = (change: Partial<RiskViewFilter>) => onChange({ ...filter, ...change });
  return (
    <Flex gap={8} wrap style={{ marginBottom: 16 }} role="search" aria-label={`${info.label} filters`}>
      <Input.Search
        // Remounts when the address changes (a reset, a link), so the box shows the applied value.
        key={`search:${filter.search ?? ''}`}
        defaultValue={filter.search}
        placeholder={info.searchHint}
        aria-label="Search"
        allowClear
        maxLength={maxSearchLength}
        style={{ width: 260 }}
        onSearch={(value) => set({ search: value.trim() === '' ? undefined : value.trim() })}
      />
      {info.severities.length > 0 ? (
        <Select<SeverityLevel[]>
          mode="multiple"
          allowClear
          placeholder="Severity"
          aria-label="Severity"
          style={{ minWidth: 170 }}
          maxTagCount="responsive"
          value={[...(filter.severity ?? [])]}
          options={info.severities.map((severity) => ({ value: severity, label: riskLevelLabels[severity] }))}
          onChange={(severity) => set({ severity: severity.length === 0 ? undefined : severity })}
        />
      ) : null}
      {info.handling.length > 0 ? (
        <Select<HandlingState[]>
          mode="multiple"
          allowClear
          placeholder="Handling"
          aria-label="Handling"
          style={{ minWidth: 170 }}
          maxTagCount="responsive"
          value={[...(filter.handling ?? [])]}
          options={info.handling.map((state) => ({ value: state, label: handlingStateLabels[state] }))}
          onChange={(handling) => set({ handling: handling.length === 0 ? undefined : handling })}
        />
      ) : null}
      {hasRiskFilter(filter) ? <Button onClick={() => onChange({})}>Reset filters</Button> : null}
    </Flex>
  );
}
