/** The version schemes Drydock compares with, one folder each under versioning/. */
export type SchemeId =
  'dpkg' | 'rpm' | 'apk' | 'semver' | 'go' | 'pep440' | 'maven' | 'rubygems' | 'nuget' | 'composer' | 'cargo';

/**
 * How one ecosystem orders its versions. `compare` is only meaningful for two versions that
 * `isValid` accepts; callers check validity first and treat an invalid version as `unknown`,
 * never as vulnerable or safe. `compare` returns a negative number, zero or a positive number.
 */
export interface VersionScheme {
  readonly id: SchemeId;
  isValid(version: string): boolean;
  compare(a: string, b: string): number;
}
