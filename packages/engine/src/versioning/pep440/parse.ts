/**
 * A Python package version parsed as PEP 440 defines it (https://peps.python.org/pep-0440/,
 * "Appendix B: Parsing version strings with regular expressions") and as pypa/packaging's
 * `packaging.version.Version` accepts it: the permissive spellings of the standard's
 * "Normalization" section (`1.0-alpha.1`, `v1.0`, `1.0.post-2`, upper case, surrounding
 * whitespace) are accepted and normalised. Numbers are unbounded (`bigint`).
 */
export interface Pep440Version {
  readonly epoch: bigint;
  readonly release: readonly bigint[];
  /** `a`, `b` or `rc` (alpha, beta, c, pre and preview are folded in) with its number. */
  readonly pre?: { readonly label: 'a' | 'b' | 'rc'; readonly number: bigint };
  readonly post?: bigint;
  readonly dev?: bigint;
  /** Local version label parts, lower-cased: digit-only parts are numbers. */
  readonly local?: readonly (bigint | string)[];
}

/**
 * packaging's `VERSION_PATTERN`. `[0-9]` and `[a-z]` with the `i` flag but without `u` only ever
 * match ASCII, as packaging requires (it rejects `1.0+İ`).
 */
const versionPattern = new RegExp(
  '^\\s*v?' +
    '(?:(?<epoch>[0-9]+)!)?' +
    '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<preLabel>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preNumber>[0-9]+)?)?' +
    '(?<post>(?:-(?<postImplicit>[0-9]+))|(?:[-_.]?(?<postLabel>post|rev|r)[-_.]?(?<postNumber>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<devLabel>dev)[-_.]?(?<devNumber>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?' +
    '\\s*$',
  'i',
);

const preLabels: Readonly<Record<string, 'a' | 'b' | 'rc'>> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  pre: 'rc',
  preview: 'rc',
  rc: 'rc',
};

/** The parts of `version`, or `undefined` when it is not a PEP 440 version. */
export function parsePep440(version: string): Pep440Version | undefined {
  const groups = versionPattern.exec(version)?.groups;
  if (groups === undefined) return undefined;
  const release = (groups.release ?? '').split('.').map((part) => BigInt(part));
  const preLabel = groups.preLabel === undefined ? undefined : preLabels[groups.preLabel.toLowerCase()];
  const post =
    groups.postImplicit !== undefined
      ? BigInt(groups.postImplicit)
      : groups.postLabel !== undefined
        ? BigInt(groups.postNumber ?? '0')
        : undefined;
  return {
    epoch: BigInt(groups.epoch ?? '0'),
    release,
    ...(preLabel === undefined ? {} : { pre: { label: preLabel, number: BigInt(groups.preNumber ?? '0') } }),
    ...(post === undefined ? {} : { post }),
    ...(groups.devLabel === undefined ? {} : { dev: BigInt(groups.devNumber ?? '0') }),
    ...(groups.local === undefined ? {} : { local: parseLocal(groups.local) }),
  };
}

function parseLocal(local: string): readonly (bigint | string)[] {
  return local
    .toLowerCase()
    .split(/[-_.]/)
    .map((part) => (/^[0-9]+$/.test(part) ? BigInt(part) : part));
}
