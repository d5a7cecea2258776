import type { VersionScheme } from '../scheme.ts';
import { normalizeComposerVersion } from './normalize-composer-version.ts';
import { rememberParses } from '../remembered-parse.ts';
import { canonicalPhpVersion, compareCanonicalPhpVersions } from './php-version-compare.ts';

/** The normalised version as `version_compare` reads it, remembered: a version is compared many times. */
const comparableForm = rememberParses((version: string): string | undefined => {
  const normalized = normalizeComposerVersion(version);
  return normalized === undefined ? undefined : canonicalPhpVersion(normalized);
});

/**
 * Packagist (Composer) versions, ordered the way Composer orders package versions: each version
 * is normalised by Composer's VersionParser (`v` prefix dropped, four numbers, stability suffixes
 * spelled out; see `normalizeComposerVersion`), and the normalised forms are compared with PHP's
 * `version_compare` (see `phpVersionCompare`), which Composer's constraints and Comparator call.
 * So `dev` < `alpha` < `beta` < `RC` < stable < `patch`, `1.0` = `1.0.0.0`, `v1.0-BETA` = `1.0.0-beta`.
 * A version Composer refuses to normalise is invalid; invalid versions sort below every valid one
 * and equal to each other.
 */
export const composerScheme: VersionScheme = {
  id: 'composer',
  isValid(version) {
    return comparableForm(version) !== undefined;
  },
  compare(a, b) {
    const x = comparableForm(a);
    const y = comparableForm(b);
    if (x === undefined || y === undefined) return Number(x !== undefined) - Number(y !== undefined);
    return compareCanonicalPhpVersions(x, y);
  },
};
