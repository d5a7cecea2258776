import type { VersionScheme } from '../scheme.ts';
import { compareDigitStrings } from '../semver/digit-strings.ts';
import { parseGemVersion as parseUncached } from './parse-gem-version.ts';
import { rememberParses } from '../remembered-parse.ts';
import type { GemSegment } from './parse-gem-version.ts';

const parseGemVersion = rememberParses(parseUncached);

const zero: GemSegment = { kind: 'number', digits: '0' };

/**
 * `Gem::Version#<=>` over canonical segments: a missing segment counts as 0; letters rank below
 * numbers (so `1.0.a` < `1.0` < `1.0.1`); numbers compare by value, letters by byte order
 * (case-sensitive, as Ruby's String#<=>).
 */
function compareSegments(a: readonly GemSegment[], b: readonly GemSegment[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? zero;
    const y = b[i] ?? zero;
    if (x.kind === 'number' && y.kind === 'number') {
      const order = compareDigitStrings(x.digits, y.digits);
      if (order !== 0) return order;
      continue;
    }
    if (x.kind === 'letters' && y.kind === 'letters') {
      if (x.text !== y.text) return x.text < y.text ? -1 : 1;
      continue;
    }
    return x.kind === 'letters' ? -1 : 1;
  }
  return 0;
}

/**
 * RubyGems versions, ordered as Gem::Version (see `parseGemVersion`): `1.0.0 = 1.0`, a letter
 * makes a pre-release (`1.0.0.rc1` < `1.0.0`, `1.0.0-1` is `1.0.0.pre.1`), numbers are unbounded.
 * Invalid versions sort below every valid one and equal to each other.
 */
export const rubygemsScheme: VersionScheme = {
  id: 'rubygems',
  isValid(version) {
    return parseGemVersion(version) !== undefined;
  },
  compare(a, b) {
    const x = parseGemVersion(a);
    const y = parseGemVersion(b);
    if (x === undefined || y === undefined) return Number(x !== undefined) - Number(y !== undefined);
    return compareSegments(x, y);
  },
};
