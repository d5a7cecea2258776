/**
 * Test support for the vector tests of semver/, go/, cargo/, rubygems/, nuget/ and composer/.
 * `checkComparisons` (../vector-check.ts) looks at `compare` only, and these schemes' `compare`
 * also orders versions they refuse (below every valid one, equal to each other), so a line naming
 * two refused versions with `=` would agree by accident. `compareValidOnly` makes validity part of
 * the check. Tests only.
 */
import type { Comparison } from '../vector-files.ts';
import type { VersionScheme } from '../scheme.ts';

/**
 * The scheme's `compare` for two versions it accepts; for a pair with a refused version, `1`
 * both ways round, which agrees with no vector: such a line is reported as "got > (reversed >)"
 * unless an exception group names it.
 */
export function compareValidOnly(scheme: VersionScheme): (a: string, b: string) => number {
  return (a, b) => (scheme.isValid(a) && scheme.isValid(b) ? scheme.compare(a, b) : 1);
}

/** For an exception group's `explains`: the scheme refuses at least one side. */
export function refusesASide(scheme: VersionScheme): (comparison: Comparison) => boolean {
  return ({ a, b }) => !scheme.isValid(a) || !scheme.isValid(b);
}

/** For an exception group's `explains`: the scheme accepts both sides (so the order itself differs). */
export function acceptsBothSides(scheme: VersionScheme): (comparison: Comparison) => boolean {
  return ({ a, b }) => scheme.isValid(a) && scheme.isValid(b);
}
