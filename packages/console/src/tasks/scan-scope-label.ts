import { imageScanStatuses, registryTypes } from '../api/image-types.ts';
import { registryTypeLabels } from '../format/registry-type.ts';
import { scanStatusLabels } from '../format/scan-status.ts';
import { formatCount, formatTime } from '../format/format-time.ts';

/**
 * A scan task's scope in words ("All images", "Registries: local, hub", "3 chosen images", "Images
 * matching name "app", status Failed"). The API returns the scope as it was requested without
 * promising its shape, so every field is checked before it is read; anything else is "Custom scope".
 */

type Fields = Readonly<Record<string, unknown>>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): readonly string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function labelled<T extends string>(
  values: readonly string[],
  known: readonly T[],
  labels: Readonly<Record<T, string>>,
) {
  return values.map((value) => {
    const key = known.find((item) => item === value);
    return key === undefined ? value : labels[key];
  });
}

function registryNames(ids: readonly string[], names: ReadonlyMap<string, string>): string {
  // A registry the user may not list, or one removed since: its id's start tells them apart.
  return ids.map((id) => names.get(id) ?? `registry ${id.slice(0, 8)}`).join(', ');
}

function filterText(filter: Fields, names: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  const text = (key: string, label: string) => {
    const value = filter[key];
    if (typeof value === 'string' && value !== '') parts.push(`${label} "${value}"`);
  };
  text('name', 'name');
  text('namespace', 'namespace');
  text('tag', 'tag');
  const status = strings(filter['status']);
  if (status.length > 0)
    parts.push(`status ${labelled(status, imageScanStatuses, scanStatusLabels).join(' or ')}`);
  const connections = strings(filter['connectionIds']);
  if (connections.length > 0) parts.push(`registry ${registryNames(connections, names)}`);
  const types = strings(filter['registryTypes']);
  if (types.length > 0) parts.push(`type ${labelled(types, registryTypes, registryTypeLabels).join(' or ')}`);
  const after = filter['updatedAfter'];
  if (typeof after === 'string') parts.push(`updated from ${formatTime(after)}`);
  const before = filter['updatedBefore'];
  if (typeof before === 'string') parts.push(`updated before ${formatTime(before)}`);
  return parts.length === 0 ? 'All images (empty filter)' : `Images matching ${parts.join(', ')}`;
}

/** `names`: registry connection names by id (empty when the user may not list registries). */
export function scanScopeLabel(scope: unknown, names: ReadonlyMap<string, string>): string {
  if (!isFields(scope)) return 'Custom scope';
  switch (scope['kind']) {
    case 'all':
      return 'All images';
    case 'registry_types':
      return `Registry types: ${labelled(strings(scope['types']), registryTypes, registryTypeLabels).join(', ')}`;
    case 'registries':
      return `Registries: ${registryNames(strings(scope['connectionIds']), names)}`;
    case 'images': {
      const count = strings(scope['imageIds']).length;
      return count === 1 ? '1 chosen image' : `${formatCount(count)} chosen images`;
    }
    case 'filter':
      return isFields(scope['filter']) ? filterText(scope['filter'], names) : 'Custom scope';
    default:
      return 'Custom scope';
  }
}
