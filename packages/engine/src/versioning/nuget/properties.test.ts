/** The scheme laws (../scheme-laws.ts) over generated NuGet versions, no throwing on junk, no blow-up on hostile text. */
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { hostileVersions } from '../semver/hostile-versions.ts';
import { checkSchemeLaws } from '../scheme-laws.ts';
import { nugetScheme } from './scheme.ts';

const number = fc.constantFrom('0', '1', '2', '10', '01', '2147483647');
const label = fc.constantFrom(
  '0',
  '1',
  '10',
  '-1',
  '9999999999',
  'alpha',
  'Alpha',
  'BETA',
  'beta',
  'rc',
  'a-b',
  '-',
);
const version = fc
  .tuple(
    fc.array(number, { minLength: 1, maxLength: 4 }),
    fc.array(label, { maxLength: 3 }),
    fc.option(fc.constantFrom('build', '001', 'A.b'), { nil: undefined }),
  )
  .map(
    ([numbers, labels, metadata]) =>
      `${numbers.join('.')}${labels.length === 0 ? '' : `-${labels.join('.')}`}${metadata === undefined ? '' : `+${metadata}`}`,
  )
  .filter((text) => nugetScheme.isValid(text));

describe('NuGet scheme laws', () => {
  it('reflexive, antisymmetric, transitive on generated versions', () => {
    checkSchemeLaws(nugetScheme, version);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        nugetScheme.isValid(a);
        return Number.isFinite(nugetScheme.compare(a, b));
      }),
    );
  });

  it('answers long hostile strings without backtracking blow-ups', () => {
    for (const version of hostileVersions) {
      nugetScheme.isValid(version);
      nugetScheme.compare(version, `${version}1`);
    }
  });
});
