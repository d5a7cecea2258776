import { splitDpkgVersion } from './parse-version.ts';

/**
 * Orders two Debian versions as dpkg does (`dpkg_version_compare` and `verrevcmp` in
 * lib/dpkg/version.c; Debian Policy 5.6.12): epochs numerically, then the upstream versions,
 * then the revisions, each with the alternating non-digit / digit walk in which `~` sorts before
 * everything, even the end of the string, and letters sort before other characters.
 */
export function compareDpkgVersions(a: string, b: string): number {
  const left = splitDpkgVersion(a) ?? { epoch: '0', upstream: '', revision: '' };
  const right = splitDpkgVersion(b) ?? { epoch: '0', upstream: '', revision: '' };
  return (
    compareDigits(left.epoch, right.epoch) ||
    compareFragments(left.upstream, right.upstream) ||
    compareFragments(left.revision, right.revision)
  );
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** dpkg's `order`: digits and the end weigh 0, `~` -1, letters their code, anything else code + 256. */
function weight(code: number | undefined): number {
  if (code === undefined || isDigit(code)) return 0;
  if (isLetter(code)) return code;
  if (code === 126) return -1;
  return code + 256;
}

/** dpkg's `verrevcmp`, returning -1, 0 or 1. */
function compareFragments(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const left = weight(i < a.length ? a.charCodeAt(i) : undefined);
      const right = weight(j < b.length ? b.charCodeAt(j) : undefined);
      if (left !== right) return Math.sign(left - right);
      i++;
      j++;
    }
    const startA = i;
    const startB = j;
    while (i < a.length && isDigit(a.charCodeAt(i))) i++;
    while (j < b.length && isDigit(b.charCodeAt(j))) j++;
    const order = compareDigits(a.slice(startA, i), b.slice(startB, j));
    if (order !== 0) return order;
  }
  return 0;
}

/** Two runs of digits as unbounded numbers (leading zeros ignored), -1, 0 or 1. */
function compareDigits(a: string, b: string): number {
  const left = a.replace(/^0+/, '');
  const right = b.replace(/^0+/, '');
  if (left.length !== right.length) return Math.sign(left.length - right.length);
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
