import { splitRpmEvr } from './parse-evr.ts';
import { rpmvercmp } from './rpmvercmp.ts';

/**
 * Orders two `[epoch:]version[-release]` strings as rpm's `rpmverCmp` (lib/rpmver.c, rpm 4.18,
 * the comparison behind `rpm.vercmp`): epochs (missing = 0), then versions, then releases, each
 * with `rpmvercmp`; a missing release sorts before any release, even an empty one (`1` < `1-` <
 * `1-0`). Returns -1, 0 or 1.
 */
export function compareRpmVersions(a: string, b: string): number {
  const left = splitRpmEvr(a);
  const right = splitRpmEvr(b);
  return (
    rpmvercmp(left.epoch ?? '0', right.epoch ?? '0') ||
    rpmvercmp(left.version, right.version) ||
    compareOptional(left.release, right.release)
  );
}

/** rpm's `compare_values`: a missing field sorts before a present one. */
function compareOptional(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return rpmvercmp(a, b);
}
