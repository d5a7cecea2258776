import type { PackageRecord } from '../fact.ts';
import { purlOf } from '../purl.ts';

/**
 * A crates.io package record, purl `pkg:cargo/<name>@<version>`
 * (https://github.com/package-url/purl-spec/blob/main/types-doc/cargo-definition.md).
 * Undefined for an empty name or version (hostile input).
 */
export function cratePackage(name: string, version: string): PackageRecord | undefined {
  if (name === '' || version === '' || /\s/.test(name) || /\s/.test(version)) return undefined;
  try {
    return {
      ecosystem: 'cargo',
      name,
      version,
      purl: purlOf({ type: 'cargo', name, version }),
      licenses: [],
    };
  } catch {
    return undefined;
  }
}
