import { isRecord } from '../api/is-record.ts';

function strings(value: unknown): readonly string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * A job's filter in words. The API sends it back as it was requested (typed `unknown` there), so
 * it is read field by field and anything unexpected is left out rather than trusted.
 */
export function describeExportFilter(filter: unknown): string {
  if (!isRecord(filter)) return 'Everything';
  const parts: string[] = [];
  const severities = strings(filter['severities']);
  if (severities.length > 0) parts.push(`severity ${severities.join(', ')}`);
  const handling = strings(filter['handling']);
  if (handling.length > 0) parts.push(`handling ${handling.join(', ')}`);
  const imageIds = strings(filter['imageIds']);
  if (imageIds.length > 0) parts.push(`${imageIds.length} ${imageIds.length === 1 ? 'image' : 'images'}`);
  if (typeof filter['imageId'] === 'string') parts.push(`image ${filter['imageId']}`);
  return parts.length === 0 ? 'Everything' : parts.join('; ');
}
