import type { VersionScheme } from '../scheme.ts';
import { compareApkVersions } from './compare.ts';
import { TokenReader } from './tokens.ts';

/**
 * Whether apk-tools accepts `version` (`apk_version_validate`): the token walk reaches the end
 * without an invalid token.
 */
export function isValidApkVersion(version: string): boolean {
  const reader = new TokenReader(version);
  for (let token = reader.first(); ; token = reader.next()) {
    if (token.kind === 'end') return true;
    if (token.kind === 'invalid') return false;
  }
}

/** Alpine package versions (apk-tools 3 ordering). See readme.md. */
export const apkScheme: VersionScheme = {
  id: 'apk',
  isValid: isValidApkVersion,
  compare: (a, b) => compareApkVersions(a, b),
};
