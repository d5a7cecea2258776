/**
 * rpm's `rpmvercmp` (lib/rpmvercmp.c, rpm 4.18; https://rpm-software-management.github.io/rpm/manual/dependencies.html#versioning):
 * compares one version or release field. Both strings are cut into runs of ASCII digits and runs
 * of ASCII letters; every other character only separates runs, except `~`, which sorts before
 * anything (even the end of the string), and `^`, which sorts after the end of the string but
 * before anything else. Digit runs compare as numbers and beat letter runs; letter runs compare
 * by byte. Returns -1, 0 or 1.
 */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && isSeparator(a.charCodeAt(i))) i++;
    while (j < b.length && isSeparator(b.charCodeAt(j))) j++;
    const charA = a[i];
    const charB = b[j];

    if (charA === '~' || charB === '~') {
      if (charA !== '~') return 1;
      if (charB !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (charA === '^' || charB === '^') {
      if (charA === undefined) return -1;
      if (charB === undefined) return 1;
      if (charA !== '^') return 1;
      if (charB !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (charA === undefined || charB === undefined) break;

    const numeric = isDigit(a.charCodeAt(i));
    const inRun = numeric ? isDigit : isLetter;
    const startA = i;
    const startB = j;
    while (i < a.length && inRun(a.charCodeAt(i))) i++;
    while (j < b.length && inRun(b.charCodeAt(j))) j++;
    // The second string has no run of the first one's kind here: digits beat letters.
    if (j === startB) return numeric ? 1 : -1;

    let runA = a.slice(startA, i);
    let runB = b.slice(startB, j);
    if (numeric) {
      runA = runA.replace(/^0+/, '');
      runB = runB.replace(/^0+/, '');
      if (runA.length !== runB.length) return runA.length > runB.length ? 1 : -1;
    }
    if (runA !== runB) return runA < runB ? -1 : 1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isSeparator(code: number): boolean {
  return !isDigit(code) && !isLetter(code) && code !== 126 && code !== 94;
}
