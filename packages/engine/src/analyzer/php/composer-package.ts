import type { PackageRecord } from '../fact.ts';
import { purlOf } from '../purl.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `license` as Composer writes it: an array of SPDX identifiers, or (older files) one string. */
function licensesOf(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string' && item !== '');
}

/**
 * One package entry of composer.lock or installed.json as a package record: name `vendor/name`,
 * version as Composer resolved it (`v1.0.2` keeps its `v`), purl
 * `pkg:composer/<vendor>/<name>@<version>` (https://github.com/package-url/purl-spec/blob/main/types-doc/composer-definition.md).
 * Undefined for an entry without a string name and version.
 */
export function composerPackage(entry: unknown, dev: boolean): PackageRecord | undefined {
  if (!isRecord(entry)) return undefined;
  const { name, version, license } = entry;
  if (typeof name !== 'string' || typeof version !== 'string' || name === '' || version === '')
    return undefined;
  const slash = name.indexOf('/');
  let purl: string;
  try {
    purl = purlOf({
      type: 'composer',
      namespace: slash > 0 ? name.slice(0, slash) : undefined,
      name: slash > 0 ? name.slice(slash + 1) : name,
      version,
    });
  } catch {
    return undefined;
  }
  return {
    ecosystem: 'composer',
    name,
    version,
    purl,
    licenses: licensesOf(license),
    ...(dev ? { dev: true } : {}),
  };
}
