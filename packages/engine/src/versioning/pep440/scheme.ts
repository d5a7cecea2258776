import type { VersionScheme } from '../scheme.ts';
import { compareParsedPep440 } from './compare.ts';
import { parsePep440 as parseUncached } from './parse.ts';
import { rememberParses } from '../remembered-parse.ts';

const parsePep440 = rememberParses(parseUncached);

/** Python package versions (PEP 440, pypa/packaging's ordering). See readme.md. */
export const pep440Scheme: VersionScheme = {
  id: 'pep440',
  isValid: (version) => parsePep440(version) !== undefined,
  // As comparePep440, with each version parsed once.
  compare(a, b) {
    const left = parsePep440(a);
    const right = parsePep440(b);
    if (left === undefined || right === undefined)
      return Number(left !== undefined) - Number(right !== undefined);
    return compareParsedPep440(left, right);
  },
};
