/** A version the semver crate accepts, in parts; build metadata is dropped. */
export interface CargoVersion {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** Pre-release identifiers; empty for a release. */
  readonly prerelease: readonly string[];
}

/** 2^64 - 1: the semver crate keeps MAJOR, MINOR and PATCH in a u64. */
const u64Max = 18446744073709551615n;
const identifier = /^[0-9A-Za-z-]+$/;
const shape = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([^+]*))?(?:\+(.*))?$/s;

/**
 * Parses a crates.io version as Cargo's semver crate does (`semver::Version::parse`,
 * https://docs.rs/semver/1/semver/struct.Version.html; the grammar of https://semver.org/spec/v2.0.0.html):
 * exactly `MAJOR.MINOR.PATCH`, no leading zeros, no `v` and no spaces, each number at most 2^64 - 1,
 * an optional `-pre.release` of non-empty `[0-9A-Za-z-]` identifiers (numeric ones without leading
 * zeros) and an optional `+build` of non-empty identifiers. Returns undefined for anything else.
 */
export function parseCargoVersion(version: string): CargoVersion | undefined {
  const match = shape.exec(version);
  if (match === null) return undefined;
  const [, major = '', minor = '', patch = '', prerelease, build] = match;
  if ([major, minor, patch].some((number) => BigInt(number) > u64Max)) return undefined;
  const pre = prerelease === undefined ? [] : prerelease.split('.');
  if (!pre.every((part) => identifier.test(part) && !/^0[0-9]+$/.test(part))) return undefined;
  if (build !== undefined && !build.split('.').every((part) => identifier.test(part))) return undefined;
  return { major, minor, patch, prerelease: pre };
}
