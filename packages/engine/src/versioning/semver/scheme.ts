import { compare, parse } from 'semver';
import type { SemVer } from 'semver';
import type { VersionScheme } from '../scheme.ts';
import { rememberParses } from '../remembered-parse.ts';

/** npm accepts versions the way node-semver's loose mode parses them (`v1.2.3`, `=1.2.3`, `1.2.3beta`). */
const options = { loose: true } as const;

// node-semver's compare only reads the SemVer objects it is given, so they can be shared.
const parseNpm = rememberParses((version: string): SemVer | null => parse(version, options));

/**
 * npm versions: Semantic Versioning 2.0.0 (https://semver.org/spec/v2.0.0.html) as npm's own
 * node-semver implements it (https://github.com/npm/node-semver), through that package with its
 * loose parsing: a leading `v`/`=` and surrounding spaces are accepted, numbers must stay below
 * 2^53, build metadata is ignored. An invalid version sorts below every valid one and equal to
 * every invalid one, so `compare` is total and never throws.
 */
export const semverScheme: VersionScheme = {
  id: 'semver',
  isValid(version) {
    return parseNpm(version) !== null;
  },
  compare(a, b) {
    const x = parseNpm(a);
    const y = parseNpm(b);
    if (x === null || y === null) return Number(x !== null) - Number(y !== null);
    return compare(x, y, options);
  },
};
