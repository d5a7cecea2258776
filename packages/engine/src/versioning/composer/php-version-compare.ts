import { compareDigitStrings } from '../semver/digit-strings.ts';

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlnum = (c: string): boolean => isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

/**
 * php_canonicalize_version: `-`, `_`, `+` and every other non-alphanumeric character become a `.`
 * (never two in a row), and a `.` is put between a digit and a non-digit. The first character is
 * kept as it is.
 */
function canonicalize(version: string): string {
  if (version === '') return '';
  let out = version[0] ?? '';
  let previous = out;
  for (const c of version.slice(1)) {
    const lastWritten = out[out.length - 1];
    const digit = isDigit(c);
    const previousDigit = isDigit(previous);
    if (c === '-' || c === '_' || c === '+') {
      if (lastWritten !== '.') out += '.';
    } else if ((c !== '.' && !digit && previousDigit) || (digit && previous !== '.' && !previousDigit)) {
      if (lastWritten !== '.') out += '.';
      out += c;
    } else if (!isAlnum(c)) {
      if (lastWritten !== '.') out += '.';
    } else {
      out += c;
    }
    previous = c;
  }
  return out;
}

/** PHP's special forms by prefix, in order: unknown text ranks below `dev`. */
const specialForms: readonly (readonly [string, number])[] = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

function specialOrder(form: string): number {
  return specialForms.find(([name]) => form.startsWith(name))?.[1] ?? -1;
}

function compareSpecial(a: string, b: string): number {
  return Math.sign(specialOrder(a) - specialOrder(b));
}

/** strtol's digits: the leading run of digits of an element. */
function leadingDigits(element: string): string {
  return /^[0-9]*/.exec(element)?.[0] ?? '';
}

/**
 * PHP's `version_compare($a, $b)` (https://www.php.net/manual/en/function.version-compare.php;
 * php-src ext/standard/versioning.c), element by element: numbers by value, text by special form
 * (`dev` < `alpha`/`a` < `beta`/`b` < `RC`/`rc` < a number < `pl`/`p`; other text below `dev`),
 * and a longer version wins when the extra element is a number, is compared against a number when
 * it is text. One deliberate difference: PHP reads numbers with strtol, which saturates at
 * 2^63 - 1; here numbers of any length compare by value. Returns -1, 0 or 1.
 */
export function phpVersionCompare(original1: string, original2: string): number {
  return compareCanonicalPhpVersions(canonicalPhpVersion(original1), canonicalPhpVersion(original2));
}

/**
 * The form `version_compare` compares (php_canonicalize_version, special forms starting with `#`
 * kept): callers comparing one version many times canonicalise it once.
 */
export function canonicalPhpVersion(version: string): string {
  return version.startsWith('#') ? version : canonicalize(version);
}

/** `phpVersionCompare` of two versions already in `canonicalPhpVersion` form. */
export function compareCanonicalPhpVersions(v1: string, v2: string): number {
  // Only the empty version canonicalises to the empty string.
  if (v1 === '' || v2 === '') {
    if (v1 === v2) return 0;
    return v1 !== '' ? 1 : -1;
  }
  // A port of the C loop: p = start of the current element, n = index of the dot ending it (or -1).
  let p1 = 0;
  let p2 = 0;
  let n1 = 0;
  let n2 = 0;
  let compare = 0;
  while (p1 < v1.length && p2 < v2.length && n1 >= 0 && n2 >= 0) {
    n1 = v1.indexOf('.', p1);
    n2 = v2.indexOf('.', p2);
    const e1 = v1.slice(p1, n1 < 0 ? undefined : n1);
    const e2 = v2.slice(p2, n2 < 0 ? undefined : n2);
    const d1 = isDigit(e1[0]);
    const d2 = isDigit(e2[0]);
    if (d1 && d2) compare = compareDigitStrings(leadingDigits(e1), leadingDigits(e2));
    else if (!d1 && !d2) compare = compareSpecial(e1, e2);
    else compare = d1 ? compareSpecial('#N#', e2) : compareSpecial(e1, '#N#');
    if (compare !== 0) break;
    if (n1 >= 0) p1 = n1 + 1;
    if (n2 >= 0) p2 = n2 + 1;
  }
  if (compare !== 0) return compare;
  if (n1 >= 0) return isDigit(v1[p1]) ? 1 : phpVersionCompare(v1.slice(p1), '#N#');
  if (n2 >= 0) return isDigit(v2[p2]) ? -1 : phpVersionCompare('#N#', v2.slice(p2));
  return 0;
}
