/**
 * The laws every `VersionScheme.compare` must obey, as fast-check properties (test support
 * only): each generated version is valid, `compare(a, a)` is 0, the order is antisymmetric
 * (`compare(a, b)` and `compare(b, a)` have opposite signs) and transitive (any three versions
 * can be put in an order that every pairwise comparison agrees with, and equality chains).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { VersionScheme } from './scheme.ts';

/** Parts glued together: generators built from a few tokens collide often, which the laws need. */
export function joined(parts: fc.Arbitrary<readonly string[]>): fc.Arbitrary<string> {
  return parts.map((items) => items.join(''));
}

export function checkSchemeLaws(
  scheme: VersionScheme,
  versions: fc.Arbitrary<string>,
  numRuns = 2_000,
): void {
  const sign = (a: string, b: string): number => Math.sign(scheme.compare(a, b));
  fc.assert(
    fc.property(versions, (version) => {
      assert.ok(scheme.isValid(version), `generated version ${JSON.stringify(version)} is not valid`);
      assert.equal(sign(version, version), 0);
    }),
    { numRuns },
  );
  fc.assert(
    fc.property(versions, versions, (a, b) => {
      assert.equal(sign(a, b), -sign(b, a) || 0, `${a} vs ${b}`);
    }),
    { numRuns },
  );
  fc.assert(
    fc.property(versions, versions, versions, (a, b, c) => {
      const [x = '', y = '', z = ''] = [a, b, c].sort(sign);
      assert.ok(
        sign(x, y) <= 0 && sign(y, z) <= 0 && sign(x, z) <= 0,
        `no consistent order of ${x}, ${y}, ${z}`,
      );
      if (sign(x, y) === 0 && sign(y, z) === 0) assert.equal(sign(x, z), 0, `${x} = ${y} = ${z}`);
    }),
    { numRuns },
  );
}
