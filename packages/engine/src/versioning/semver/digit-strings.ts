/**
 * Compares two runs of ASCII digits as unbounded non-negative integers: leading zeros are ignored
 * and no length limit applies, so `999…991 < 999…999` holds however long the numbers are. Version
 * schemes whose reference implementations use big integers (Go's x/mod/semver, RubyGems, the semver
 * crate's pre-release identifiers) share it. Returns -1, 0 or 1.
 */
export function compareDigitStrings(a: string, b: string): number {
  const x = stripLeadingZeros(a);
  const y = stripLeadingZeros(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  if (x === y) return 0;
  return x < y ? -1 : 1;
}

function stripLeadingZeros(digits: string): string {
  let start = 0;
  while (start < digits.length - 1 && digits.charCodeAt(start) === 0x30) start++;
  return start === 0 ? digits : digits.slice(start);
}

/** True for a non-empty string of ASCII digits. */
export function isDigits(text: string): boolean {
  return /^[0-9]+$/.test(text);
}
