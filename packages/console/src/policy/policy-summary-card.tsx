import { GlobalOutlined } from '@ant-design/icons';
import { Card, Descriptions, Flex, Tag, Typography } from 'antd';
import { GuardedButton } from '../access/guarded-button.tsx';
import type { ScanPolicy } from '../api/policy-types.ts';
import type { RegistryConnection } from '../api/registry-types.ts';
import { formatTime } from '../format/format-time.ts';
import { riskTypeLabels } from '../format/risk-type.ts';
import { describePeriod, describeSpeedLimit, describeUpdatedWithin } from './policy-form-values.ts';

function StatusTag({ policy }: { readonly policy: ScanPolicy | null }) {
  if (!policy) return <Tag>Not set up</Tag>;
  return policy.enabled ? <Tag color="success">On</Tag> : <Tag color="default">Off</Tag>;
}

function registriesText(policy: ScanPolicy, registries: readonly RegistryConnection[] | undefined): string {
  if (policy.connectionIds.length === 0) return 'All registries';
  if (!registries) return `${policy.connectionIds.length} chosen registries`;
  return policy.connectionIds
    .map((id) => registries.find((registry) => registry.id === id)?.name ?? `removed registry ${id}`)
    .join(', ');
}

/**
 * The stored policy at a glance: on or off, when it last ran and when it runs next (as the API
 * computes it: absent while off), and what it scans; the time zone comes from the project and is
 * changed there (`iam:set`).
 */
export function PolicySummaryCard({
  policy,
  timeZone,
  registries,
  onChangeTimeZone,
}: {
  readonly policy: ScanPolicy | null;
  readonly timeZone: string;
  readonly registries: readonly RegistryConnection[] | undefined;
  readonly onChangeTimeZone: () => void;
}) {
  const timeZoneItem = {
    key: 'timeZone',
    label: 'Time zone',
    children: (
      <Flex gap={8} align="center" wrap>
        <span>{timeZone}</span>
        <GuardedButton permission="iam:set" size="small" icon={<GlobalOutlined />} onClick={onChangeTimeZone}>
          Change
        </GuardedButton>
      </Flex>
    ),
  };
  const items = policy
    ? [
        { key: 'status', label: 'Status', children: <StatusTag policy={policy} /> },
        {
          key: 'nextRun',
          label: 'Next run',
          children: policy.nextRunAt ? formatTime(policy.nextRunAt) : 'Not scheduled while the policy is off',
        },
        { key: 'lastRun', label: 'Last run', children: formatTime(policy.lastRunAt, 'Never') },
        { key: 'period', label: 'Schedule', children: describePeriod(policy.periodDays) },
        {
          key: 'window',
          label: 'Window',
          children: `${policy.windowStart}–${policy.windowEnd}`,
        },
        timeZoneItem,
        {
          key: 'riskTypes',
          label: 'Risk types',
          children: policy.riskTypes.map((type) => riskTypeLabels[type]).join(', '),
        },
        { key: 'speed', label: 'Speed limit', children: describeSpeedLimit(policy.speedLimit) },
        { key: 'registries', label: 'Registries', children: registriesText(policy, registries) },
        { key: 'images', label: 'Images', children: describeUpdatedWithin(policy.updatedWithinDays) },
      ]
    : [{ key: 'status', label: 'Status', children: <StatusTag policy={policy} /> }, timeZoneItem];
  return (
    <Card title="Stored policy" data-testid="policy-summary">
      <Descriptions column={1} size="small" items={items} />
      {policy ? null : (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          The project has no scheduled scans. Fill in the form and create the policy to scan its images
          regularly; each run creates a scheduled scan task.
        </Typography.Paragraph>
      )}
    </Card>
  );
}
