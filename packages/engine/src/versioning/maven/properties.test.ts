/**
 * The scheme laws (../scheme-laws.ts) over generated Maven versions of the usual shape: a numeric
 * release (`1.2.3`), then at most one qualifier (known, aliased and unknown, any case), after `-`
 * or glued on, with or without a number (`1.2.3-beta-1`, `1.2.3rc1`, `1.0-SNAPSHOT`).
 *
 * Exception: Maven's `ComparableVersion` is not transitive on every string, so neither is a
 * faithful port: known-cycles.ts lists cycles that Maven 3.8.7 itself has (oracle.test.ts runs
 * them through the jar), found with wider generators (a qualifier after `.`, two qualifiers).
 * They are checked here to still be cycles.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { checkSchemeLaws, joined } from '../scheme-laws.ts';
import { mavenCycles } from './known-cycles.ts';
import { mavenScheme } from './scheme.ts';

const number = fc.constantFrom('0', '1', '2', '10', '01', '123');
const qualifier = fc.constantFrom(
  'alpha',
  'a',
  'beta',
  'b',
  'milestone',
  'm',
  'M',
  'rc',
  'RC',
  'cr',
  'snapshot',
  'SNAPSHOT',
  'ga',
  'final',
  'Final',
  'release',
  'RELEASE',
  'sp',
  'jre',
  'android',
  'x',
);
const qualifierPart = joined(
  fc.tuple(
    fc.constantFrom('-', ''),
    qualifier,
    fc.option(joined(fc.tuple(fc.constantFrom('', '-', '.'), number)), { nil: '' }),
  ),
);
const version = joined(
  fc.tuple(
    number,
    joined(
      fc.array(
        number.map((n) => `.${n}`),
        { maxLength: 3 },
      ),
    ),
    fc.option(qualifierPart, { nil: '' }),
  ),
);

describe('maven scheme laws', () => {
  it('reflexive, antisymmetric, transitive on generated versions of the usual shape', () => {
    checkSchemeLaws(mavenScheme, version);
  });

  it('exception: the known cycles of Maven’s own order are still cycles', () => {
    for (const [a, b, c] of mavenCycles) {
      assert.equal(mavenScheme.compare(a, b), -1, `${a} < ${b}`);
      assert.equal(mavenScheme.compare(b, c), -1, `${b} < ${c}`);
      assert.equal(mavenScheme.compare(c, a), -1, `${c} < ${a}`);
    }
  });
});
