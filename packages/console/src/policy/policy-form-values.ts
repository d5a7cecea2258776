import type { ScanPolicy, ScanPolicyInput } from '../api/policy-types.ts';
import { riskTypes, type RiskType } from '../api/task-types.ts';

/**
 * The scheduled policy form's values and their conversion to and from the API. Field names are
 * the API's own, so the fields an `invalid_request` names are the form's fields; only `scope` is
 * the form's (the API reads an empty `connectionIds` as "all registries").
 */
export interface PolicyFormValues {
  readonly enabled: boolean;
  readonly periodDays: number | null;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly riskTypes: readonly RiskType[];
  readonly speedLimit: number | null;
  readonly updatedWithinDays: number | null;
  readonly scope: 'all' | 'registries';
  readonly connectionIds: readonly string[];
}

/** The body fields the form has a field for, under the same name. */
export const policyFormFields = [
  'enabled',
  'periodDays',
  'windowStart',
  'windowEnd',
  'riskTypes',
  'speedLimit',
  'updatedWithinDays',
  'connectionIds',
] as const;

/** PRODUCT.md section 5's presets: every N days, and "images updated in the last N days" (0 = all). */
export const periodDayPresets = [
  { days: 1, label: 'Daily' },
  { days: 3, label: 'Every 3 days' },
  { days: 7, label: 'Weekly' },
  { days: 14, label: 'Every 2 weeks' },
] as const;
export const updatedWithinPresets = [0, 1, 3, 7, 15, 30] as const;

/** What a project without a policy starts from: the API's defaults, enabled, daily. */
const newPolicyValues: PolicyFormValues = {
  enabled: true,
  periodDays: 1,
  windowStart: '00:00',
  windowEnd: '07:00',
  riskTypes: [...riskTypes],
  speedLimit: 0,
  updatedWithinDays: 0,
  scope: 'all',
  connectionIds: [],
};

/** The form's starting values: the stored policy, or the defaults when there is none (null). */
export function formValuesOf(policy: ScanPolicy | null): PolicyFormValues {
  if (!policy) return newPolicyValues;
  return {
    enabled: policy.enabled,
    periodDays: policy.periodDays,
    windowStart: policy.windowStart,
    windowEnd: policy.windowEnd,
    riskTypes: policy.riskTypes,
    speedLimit: policy.speedLimit,
    updatedWithinDays: policy.updatedWithinDays,
    scope: policy.connectionIds.length > 0 ? 'registries' : 'all',
    connectionIds: policy.connectionIds,
  };
}

/**
 * The `PUT policy` body. Values are sent as entered: the API checks ranges and formats and its
 * messages land on the fields, so the limits are stated once, by the service.
 */
export function policyInputOf(values: PolicyFormValues): ScanPolicyInput {
  return {
    enabled: values.enabled,
    periodDays: values.periodDays ?? 0,
    windowStart: values.windowStart.trim(),
    windowEnd: values.windowEnd.trim(),
    riskTypes: values.riskTypes,
    speedLimit: values.speedLimit ?? 0,
    updatedWithinDays: values.updatedWithinDays ?? 0,
    connectionIds: values.scope === 'registries' ? values.connectionIds : [],
  };
}

/** "Every day", "Every 3 days". */
export function describePeriod(days: number): string {
  return days === 1 ? 'Every day' : `Every ${days} days`;
}

/** "All images", "Images updated in the last 7 days". */
export function describeUpdatedWithin(days: number): string {
  if (days === 0) return 'All images';
  return days === 1 ? 'Images updated in the last day' : `Images updated in the last ${days} days`;
}

/** "Unlimited", "60 images per hour per registry". */
export function describeSpeedLimit(limit: number): string {
  return limit === 0 ? 'Unlimited' : `${limit} images per hour per registry`;
}
