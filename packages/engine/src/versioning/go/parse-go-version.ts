/** A version that golang.org/x/mod/semver accepts, in parts; build metadata is dropped. */
export interface GoVersion {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** Pre-release identifiers; empty for a release. A pseudo-version's timestamp and hash live here. */
  readonly prerelease: readonly string[];
}

const identifier = /^[0-9A-Za-z-]+$/;

/**
 * Parses a Go module version exactly as golang.org/x/mod/semver does
 * (https://pkg.go.dev/golang.org/x/mod/semver, https://go.dev/ref/mod#versions): a required `v`,
 * then `MAJOR[.MINOR[.PATCH]]` (the shorthands `v1` and `v1.2` mean v1.0.0 and v1.2.0 and take no
 * suffix), numbers without leading zeros, an optional `-pre.release` (numeric identifiers without
 * leading zeros) and an optional `+build` (`+incompatible` is build metadata). Returns undefined
 * for anything else.
 */
export function parseGoVersion(version: string): GoVersion | undefined {
  if (!version.startsWith('v')) return undefined;
  const match =
    /^v(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*)(?:-([^+]*))?(?:\+(.*))?)?)?$/s.exec(version);
  if (match === null) return undefined;
  const [, major = '', minor = '0', patch = '0', prerelease, build] = match;
  const pre = prerelease === undefined ? [] : prerelease.split('.');
  if (!pre.every((part) => identifier.test(part) && !/^0[0-9]+$/.test(part))) return undefined;
  if (build !== undefined && !build.split('.').every((part) => identifier.test(part))) return undefined;
  return { major, minor, patch, prerelease: pre };
}
