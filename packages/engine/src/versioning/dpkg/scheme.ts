import type { VersionScheme } from '../scheme.ts';
import { compareDpkgVersions } from './compare.ts';
import { parseDpkgVersion } from './parse-version.ts';

/** Debian and Ubuntu package versions (Debian Policy 5.6.12, dpkg's ordering). See readme.md. */
export const dpkgScheme: VersionScheme = {
  id: 'dpkg',
  isValid: (version) => parseDpkgVersion(version) !== undefined,
  compare: compareDpkgVersions,
};
