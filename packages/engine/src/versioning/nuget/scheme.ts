import type { VersionScheme } from '../scheme.ts';
import { parseNuGetVersion as parseUncached } from './parse-nuget-version.ts';
import { rememberParses } from '../remembered-parse.ts';

const parseNuGetVersion = rememberParses(parseUncached);

/** `int.TryParse` on a label: an optional minus and digits within Int32; anything else is text. */
function numericLabel(label: string): number | undefined {
  if (!/^-?[0-9]+$/.test(label)) return undefined;
  const value = Number(label);
  return value >= -2147483648 && value <= 2147483647 ? value : undefined;
}

/** NuGet's CompareRelease: numbers by value and before text; text case-insensitively (OrdinalIgnoreCase). */
function compareLabel(a: string, b: string): number {
  const x = numericLabel(a);
  const y = numericLabel(b);
  if (x !== undefined && y !== undefined) return x === y ? 0 : x < y ? -1 : 1;
  if (x !== undefined || y !== undefined) return x !== undefined ? -1 : 1;
  const upperA = a.toUpperCase();
  const upperB = b.toUpperCase();
  if (upperA === upperB) return 0;
  return upperA < upperB ? -1 : 1;
}

function compareLabels(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const order = compareLabel(a[i] ?? '', b[i] ?? '');
    if (order !== 0) return order;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * NuGet versions, ordered as NuGet.Versioning's `VersionComparer.Default`
 * (https://learn.microsoft.com/en-us/nuget/concepts/package-versioning#normalized-version-numbers,
 * source: https://github.com/NuGet/NuGet.Client/blob/dev/src/NuGet.Core/NuGet.Versioning/VersionComparer.cs):
 * the four numbers (`1.0` = `1.0.0.0`), then SemVer 2 release labels compared case-insensitively,
 * build metadata ignored. Invalid versions sort below every valid one and equal to each other.
 */
export const nugetScheme: VersionScheme = {
  id: 'nuget',
  isValid(version) {
    return parseNuGetVersion(version) !== undefined;
  },
  compare(a, b) {
    const x = parseNuGetVersion(a);
    const y = parseNuGetVersion(b);
    if (x === undefined || y === undefined) return Number(x !== undefined) - Number(y !== undefined);
    for (let i = 0; i < 4; i++) {
      const p = x.numbers[i] ?? 0;
      const q = y.numbers[i] ?? 0;
      if (p !== q) return p < q ? -1 : 1;
    }
    return compareLabels(x.releaseLabels, y.releaseLabels);
  },
};
