/**
 * A Debian package version split into its parts, as Debian Policy 5.6.12 defines it
 * (https://www.debian.org/doc/debian-policy/ch-controlfields.html#version):
 * `[epoch:]upstream_version[-debian_revision]`. The epoch is the part before the first colon,
 * the revision the part after the last hyphen; the upstream version must start with a digit.
 * Validation follows dpkg's `parseversion` (lib/dpkg/parsehelp.c), where both its errors and its
 * warnings make a version invalid here, with one tightening: dpkg reads the epoch with `strtol`,
 * which also takes a leading `+`; Policy says "a single unsigned integer", and so does this parser.
 */
export interface DpkgVersion {
  /** The epoch as written (digits only); `0` when the version has none. */
  readonly epoch: string;
  readonly upstream: string;
  /** Empty when the version has no hyphen (dpkg treats it like `0`). */
  readonly revision: string;
}

/** dpkg keeps epochs in an `int`: larger ones are an error. */
const maxEpoch = 2 ** 31 - 1;
const upstreamPattern = /^[0-9][A-Za-z0-9.+~:-]*$/;
const revisionPattern = /^[A-Za-z0-9.+~]+$/;

/** The parts of a valid Debian version, or `undefined` when dpkg would reject or warn about it. */
export function parseDpkgVersion(version: string): DpkgVersion | undefined {
  const parts = splitDpkgVersion(version);
  if (parts === undefined) return undefined;
  if (!/^[0-9]+$/.test(parts.epoch) || Number(parts.epoch) > maxEpoch) return undefined;
  if (!upstreamPattern.test(parts.upstream)) return undefined;
  if (version.lastIndexOf('-') !== -1 && !revisionPattern.test(parts.revision)) return undefined;
  return parts;
}

/**
 * Splits any string the way dpkg does before it validates (epoch before the first colon,
 * revision after the last hyphen), so that comparison works on whatever a record holds.
 * `undefined` only for the empty string.
 */
export function splitDpkgVersion(version: string): DpkgVersion | undefined {
  if (version === '') return undefined;
  const colon = version.indexOf(':');
  const epoch = colon === -1 ? '0' : version.slice(0, colon);
  const rest = colon === -1 ? version : version.slice(colon + 1);
  const hyphen = rest.lastIndexOf('-');
  if (hyphen === -1) return { epoch, upstream: rest, revision: '' };
  return { epoch, upstream: rest.slice(0, hyphen), revision: rest.slice(hyphen + 1) };
}
