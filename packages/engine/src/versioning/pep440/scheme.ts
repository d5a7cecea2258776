import type { VersionScheme } from '../scheme.ts';
import { comparePep440 } from './compare.ts';
import { parsePep440 } from './parse.ts';

/** Python package versions (PEP 440, pypa/packaging's ordering). See readme.md. */
export const pep440Scheme: VersionScheme = {
  id: 'pep440',
  isValid: (version) => parsePep440(version) !== undefined,
  compare: comparePep440,
};
