/**
 * Go module versions are semantic versions with a `v` prefix (https://go.dev/ref/mod#versions):
 * `vMAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`, pseudo-versions included. Compared here by the
 * semver 2.0.0 precedence rules (https://semver.org/#spec-item-11), which is what the go command
 * does with `golang.org/x/mod/semver`.
 */
interface ParsedSemver {
  readonly core: readonly [number, number, number];
  readonly prerelease: readonly string[];
}

const semverPattern =
  /^v(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** True for a Go module version the go command accepts: `v` and a semantic version (`v1.2`, `v1.2.3-pre+meta`). */
export function isGoModuleVersion(version: string): boolean {
  return semverPattern.test(version);
}

function parseSemver(version: string): ParsedSemver | undefined {
  const match = semverPattern.exec(version);
  if (match === null) return undefined;
  return {
    core: [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)],
    prerelease: match[4] === undefined ? [] : match[4].split('.'),
  };
}

function compareIdentifiers(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) return Math.sign(Number(a) - Number(b));
  if (aNumeric) return -1;
  if (bNumeric) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Orders two Go module versions; an invalid version sorts below every valid one (as in
 * `golang.org/x/mod/semver.Compare`), two invalid ones compare by their text.
 */
export function compareGoVersions(a: string, b: string): number {
  const left = parseSemver(a);
  const right = parseSemver(b);
  if (left === undefined || right === undefined) {
    if (left !== undefined) return 1;
    if (right !== undefined) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  for (let i = 0; i < 3; i++) {
    const difference = (left.core[i] ?? 0) - (right.core[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  if (left.prerelease.length === 0 || right.prerelease.length === 0) {
    return Math.sign(right.prerelease.length - left.prerelease.length);
  }
  const length = Math.min(left.prerelease.length, right.prerelease.length);
  for (let i = 0; i < length; i++) {
    const order = compareIdentifiers(left.prerelease[i] ?? '', right.prerelease[i] ?? '');
    if (order !== 0) return order;
  }
  return Math.sign(left.prerelease.length - right.prerelease.length);
}

/**
 * The stdlib version of a Go release tag, the way the Go vulnerability database names it
 * (golang.org/x/vuln `GoTagToSemver`): `go1.21.5` → `v1.21.5`, `go1.20` → `v1.20.0`,
 * `go1.21rc2` → `v1.21.0-rc.2`. Anything after the tag is ignored: a space-separated experiment
 * list (`go1.22.3 X:nocoverageredesign`), or a vendor suffix after `-` or `+`
 * (`go1.23.6-xyz`). Development builds (`devel go1.22-abc`) and other text give `undefined`.
 */
export function goTagToSemver(tag: string): string | undefined {
  const match = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(beta|rc)(\d+))?(?=$|[\s+-])/.exec(tag.trim());
  if (match === null) return undefined;
  const [, major, minor, patch, kind, number] = match;
  const core = `v${major}.${minor}.${patch ?? '0'}`;
  return kind === undefined ? core : `${core}-${kind}.${number}`;
}
