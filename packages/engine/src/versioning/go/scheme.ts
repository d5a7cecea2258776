import type { VersionScheme } from '../scheme.ts';
import { compareDigitStrings } from '../semver/digit-strings.ts';
import { comparePrerelease } from '../semver/precedence.ts';
import { parseGoVersion } from './parse-go-version.ts';
import type { GoVersion } from './parse-go-version.ts';
import { rememberParses } from '../remembered-parse.ts';

/**
 * OSV's Go records write versions without the `v` (`1.6.0`, `0.0.0-20200131131040-063a3fb69896`,
 * `2.7.0-rc.0+incompatible`), Go itself with it: both spellings are read, the `v` added when missing.
 */
const parse = rememberParses((version: string): GoVersion | undefined =>
  parseGoVersion(version.startsWith('v') ? version : `v${version}`),
);

/**
 * Go module versions, ordered as golang.org/x/mod/semver's `Compare`
 * (https://pkg.go.dev/golang.org/x/mod/semver#Compare): numbers by value, then Semantic Versioning
 * 2.0 pre-release precedence, build metadata (so `+incompatible`) ignored. Pseudo-versions
 * (`vX.Y.Z-yyyymmddhhmmss-abcdefabcdef`, `vX.Y.Z-pre.0.yyyymmddhhmmss-…`, `vX.Y.(Z+1)-0.yyyymmddhhmmss-…`)
 * are pre-releases and fall where the Go command places them. Like x/mod, invalid versions sort
 * below every valid one and equal to each other.
 */
export const goScheme: VersionScheme = {
  id: 'go',
  isValid(version) {
    return parse(version) !== undefined;
  },
  compare(a, b) {
    const x = parse(a);
    const y = parse(b);
    if (x === undefined || y === undefined) return Number(x !== undefined) - Number(y !== undefined);
    return (
      compareDigitStrings(x.major, y.major) ||
      compareDigitStrings(x.minor, y.minor) ||
      compareDigitStrings(x.patch, y.patch) ||
      comparePrerelease(x.prerelease, y.prerelease)
    );
  },
};
