import type { VersionScheme } from '../scheme.ts';
import { compareMavenVersions } from './compare.ts';

/**
 * Whether `version` is a Maven version Drydock compares: `ComparableVersion` orders any string,
 * so only the empty string and strings with whitespace or control characters are refused (no
 * POM or repository layout can hold them).
 */
export function isValidMavenVersion(version: string): boolean {
  return version !== '' && !/[\s\p{Cc}]/u.test(version);
}

/** Maven artifact versions (`ComparableVersion` of Maven 3.8.7). See readme.md. */
export const mavenScheme: VersionScheme = {
  id: 'maven',
  isValid: isValidMavenVersion,
  compare: compareMavenVersions,
};
