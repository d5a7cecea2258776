import { compareDigitStrings, isDigits } from './digit-strings.ts';

/**
 * Pre-release precedence of Semantic Versioning 2.0.0, section 11
 * (https://semver.org/spec/v2.0.0.html#spec-item-11): a version without pre-release identifiers
 * (an empty list) ranks above any with them; identifiers compare left to right, numeric ones by
 * value and below alphanumeric ones, alphanumeric ones in ASCII order; a longer list wins when all
 * earlier identifiers are equal. Go's golang.org/x/mod/semver and the semver crate order
 * pre-releases the same way. Callers validate the identifiers first. Returns -1, 0 or 1.
 */
export function comparePrerelease(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) {
    if (a.length === b.length) return 0;
    return a.length === 0 ? 1 : -1;
  }
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const order = compareIdentifier(a[i] ?? '', b[i] ?? '');
    if (order !== 0) return order;
  }
  if (a.length === b.length) return 0;
  return a.length < b.length ? -1 : 1;
}

function compareIdentifier(a: string, b: string): number {
  const aNumeric = isDigits(a);
  const bNumeric = isDigits(b);
  if (aNumeric && bNumeric) return compareDigitStrings(a, b);
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
