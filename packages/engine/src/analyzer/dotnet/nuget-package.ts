import type { PackageRecord } from '../fact.ts';
import { purlOf } from '../purl.ts';

/**
 * A NuGet package record, purl `pkg:nuget/<id>@<version>`
 * (https://github.com/package-url/purl-spec/blob/main/types-doc/nuget-definition.md); the id as
 * written (NuGet ids compare case-insensitively). Undefined for an empty id or version.
 */
export function nugetPackage(id: string, version: string, dev = false): PackageRecord | undefined {
  if (id === '' || version === '' || /\s/.test(id) || /\s/.test(version)) return undefined;
  try {
    return {
      ecosystem: 'nuget',
      name: id,
      version,
      purl: purlOf({ type: 'nuget', name: id, version }),
      licenses: [],
      ...(dev ? { dev: true } : {}),
    };
  } catch {
    return undefined;
  }
}
