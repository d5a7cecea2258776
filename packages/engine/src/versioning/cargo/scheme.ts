import type { VersionScheme } from '../scheme.ts';
import { compareDigitStrings } from '../semver/digit-strings.ts';
import { comparePrerelease } from '../semver/precedence.ts';
import { parseCargoVersion as parseUncached } from './parse-cargo-version.ts';
import { rememberParses } from '../remembered-parse.ts';

const parseCargoVersion = rememberParses(parseUncached);

/**
 * crates.io versions: strict Semantic Versioning 2.0.0 as Cargo's semver crate parses it (see
 * `parseCargoVersion`), ordered by semver precedence (https://semver.org/spec/v2.0.0.html#spec-item-11):
 * numbers by value, then pre-release identifiers, build metadata ignored. (The crate's `Ord` also
 * orders build metadata, to stay consistent with its `Eq`; OSV's SEMVER ranges and Cargo's
 * requirement matching use precedence, which ignores it.) Invalid versions sort below every
 * valid one and equal to each other.
 */
export const cargoScheme: VersionScheme = {
  id: 'cargo',
  isValid(version) {
    return parseCargoVersion(version) !== undefined;
  },
  compare(a, b) {
    const x = parseCargoVersion(a);
    const y = parseCargoVersion(b);
    if (x === undefined || y === undefined) return Number(x !== undefined) - Number(y !== undefined);
    return (
      compareDigitStrings(x.major, y.major) ||
      compareDigitStrings(x.minor, y.minor) ||
      compareDigitStrings(x.patch, y.patch) ||
      comparePrerelease(x.prerelease, y.prerelease)
    );
  },
};
