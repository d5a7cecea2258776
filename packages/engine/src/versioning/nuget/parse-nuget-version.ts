/** A version NuGet.Versioning accepts: four numbers (missing ones 0) and release labels; metadata dropped. */
export interface NuGetVersion {
  /** Major, minor, patch, revision (the legacy fourth number). */
  readonly numbers: readonly [number, number, number, number];
  /** Release labels; empty for a release. */
  readonly releaseLabels: readonly string[];
}

const int32Max = 2147483647;
/** .NET's Int32 parse with NumberStyles.Integer, as System.Version reads each part: blanks around, digits. */
const versionPart = /^[\t\n\v\f\r ]*([0-9]+)[\t\n\v\f\r ]*$/;
const labelCharacters = /^[0-9A-Za-z-]+$/;

/** NuGet's IsValidPart: non-empty, `[0-9A-Za-z-]`, and (unless allowed) no leading zero on a numeric part. */
function isValidPart(part: string, allowLeadingZeros: boolean): boolean {
  if (!labelCharacters.test(part)) return false;
  return allowLeadingZeros || !/^0[0-9]+$/.test(part);
}

/**
 * Splits `version[-labels][+metadata]` as NuGet's ParseSections does: the first `-` or `+` ends the
 * version; after a `-`, the first `+` ends the labels. A trailing `-` or `+` stays in the part before
 * it (and so makes it invalid).
 */
function sections(value: string): { version: string; labels?: string; metadata?: string } {
  const first = value.search(/[-+]/);
  if (first < 0 || first === value.length - 1) return { version: value };
  const version = value.slice(0, first);
  const rest = value.slice(first + 1);
  if (value[first] === '+') return { version, metadata: rest };
  const plus = rest.indexOf('+');
  if (plus < 0 || plus === rest.length - 1) return { version, labels: rest };
  return { version, labels: rest.slice(0, plus), metadata: rest.slice(plus + 1) };
}

/**
 * Parses a NuGet version as NuGet.Versioning's `NuGetVersion.TryParse` does
 * (https://learn.microsoft.com/en-us/nuget/concepts/package-versioning, source:
 * https://github.com/NuGet/NuGet.Client/blob/dev/src/NuGet.Core/NuGet.Versioning/NuGetVersionFactory.cs):
 * the text is trimmed; one to four numbers (System.Version rules: each an Int32, leading zeros
 * allowed, blanks around a number tolerated); optional `-` release labels (SemVer 2 identifiers,
 * numeric ones without leading zeros) and `+` metadata (identifiers, leading zeros allowed).
 * Returns undefined for anything else.
 */
export function parseNuGetVersion(value: string): NuGetVersion | undefined {
  const parts = sections(value.trim());
  if (parts.version === '') return undefined;
  const numbers = parts.version.split('.');
  if (numbers.length === 1) numbers.push('0');
  if (numbers.length > 4) return undefined;
  const values: number[] = [];
  for (const number of numbers) {
    const digits = versionPart.exec(number)?.[1];
    if (digits === undefined) return undefined;
    const parsed = Number(digits);
    if (parsed > int32Max) return undefined;
    values.push(parsed);
  }
  const labels = parts.labels === undefined ? [] : parts.labels.split('.');
  if (!labels.every((label) => isValidPart(label, false))) return undefined;
  if (parts.metadata !== undefined && !parts.metadata.split('.').every((part) => isValidPart(part, true)))
    return undefined;
  const [major = 0, minor = 0, patch = 0, revision = 0] = values;
  return { numbers: [major, minor, patch, revision], releaseLabels: labels };
}
