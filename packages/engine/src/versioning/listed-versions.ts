import type { OsvAffectedRanges } from './osv-affected.ts';

/**
 * Separator of the joined form of an OSV `versions` list: no version scheme here accepts a space,
 * and JSON writes it without an escape.
 */
const separator = ' ';

/**
 * An OSV `versions` list as one string, for storage: PyPI records list every affected release, so
 * a lookup parsed a hundred thousand short strings where it now parses a few hundred long ones
 * (less to parse, far less for the garbage collector to copy). `undefined` when the list cannot be
 * joined without ambiguity: an empty version, or one containing the separator.
 */
export function joinListedVersions(versions: readonly string[]): string | undefined {
  for (let index = 0; index < versions.length; index++) {
    const version = versions[index] as string;
    if (version === '' || version.includes(separator)) return undefined;
  }
  return versions.join(separator);
}

/** Whether the entry's explicit `versions` list, in either form, names exactly `version`. */
export function listsVersion(affected: OsvAffectedRanges, version: string): boolean {
  const joined = affected.joinedVersions;
  if (joined === undefined) return affected.versions?.includes(version) ?? false;
  // A joined list holds no empty version and none with a space (joinListedVersions).
  if (version === '' || version.includes(separator)) return false;
  for (let at = joined.indexOf(version); at !== -1; at = joined.indexOf(version, at + 1)) {
    const end = at + version.length;
    if ((at === 0 || joined[at - 1] === separator) && (end === joined.length || joined[end] === separator))
      return true;
  }
  return false;
}

/** Whether the entry has an explicit `versions` list with at least one version. */
export function hasListedVersions(affected: OsvAffectedRanges): boolean {
  return (affected.joinedVersions ?? '') !== '' || (affected.versions ?? []).length > 0;
}
