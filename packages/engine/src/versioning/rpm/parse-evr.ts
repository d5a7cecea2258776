/**
 * An rpm `[epoch:]version[-release]` string split as rpm's `parseEVR` (lib/rpmver.c, rpm 4.18)
 * splits it: the epoch is a leading run of digits ended by `:`, the release is what follows the
 * last `-`. An empty epoch before the colon means 0.
 */
export interface RpmEvr {
  /** `undefined` when the string has no epoch: rpm then compares it as 0. */
  readonly epoch: string | undefined;
  readonly version: string;
  /** `undefined` when the string has no `-`: rpm then compares the versions only. */
  readonly release: string | undefined;
}

export function splitRpmEvr(evr: string): RpmEvr {
  const digits = /^[0-9]*/.exec(evr)?.[0] ?? '';
  const hasEpoch = evr[digits.length] === ':';
  const epoch = hasEpoch ? digits || '0' : undefined;
  const rest = hasEpoch ? evr.slice(digits.length + 1) : evr;
  const hyphen = rest.lastIndexOf('-');
  if (hyphen === -1) return { epoch, version: rest, release: undefined };
  return { epoch, version: rest.slice(0, hyphen), release: rest.slice(hyphen + 1) };
}

/**
 * Characters rpmbuild accepts in Version and Release (`rpmCharCheck` with `._+%{}~^` in
 * build/parsePreamble.c) once macros are expanded, so `%{}` are left out here.
 */
const fieldPattern = /^[A-Za-z0-9._+~^]+$/;

/**
 * Whether `evr` is an `[epoch:]version[-release]` rpm could have built: an epoch of digits, a
 * version and (after one `-`) a release, each non-empty and made of the characters rpmbuild allows.
 */
export function isValidRpmEvr(evr: string): boolean {
  const { epoch, version, release } = splitRpmEvr(evr);
  if (epoch !== undefined && !/^[0-9]+$/.test(epoch)) return false;
  if (!fieldPattern.test(version)) return false;
  return release === undefined || fieldPattern.test(release);
}
