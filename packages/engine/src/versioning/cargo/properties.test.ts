/** The scheme laws (../scheme-laws.ts) over generated crates.io versions, no throwing on junk, no blow-up on hostile text. */
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { hostileVersions } from '../semver/hostile-versions.ts';
import { checkSchemeLaws } from '../scheme-laws.ts';
import { cargoScheme } from './scheme.ts';

const number = fc.constantFrom('0', '1', '2', '10', '18446744073709551615');
const identifier = fc.constantFrom(
  '0',
  '1',
  '10',
  '99999999999999999999',
  'alpha',
  'beta',
  'rc',
  'a1',
  'A',
  'x-y',
  '-',
);
const version = fc
  .tuple(
    number,
    number,
    number,
    fc.array(identifier, { maxLength: 3 }),
    fc.option(fc.constantFrom('build', '001', 'a.b'), { nil: undefined }),
  )
  .map(
    ([major, minor, patch, pre, build]) =>
      `${major}.${minor}.${patch}${pre.length === 0 ? '' : `-${pre.join('.')}`}${build === undefined ? '' : `+${build}`}`,
  );

describe('Cargo scheme laws', () => {
  it('reflexive, antisymmetric, transitive on generated versions', () => {
    checkSchemeLaws(cargoScheme, version);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        cargoScheme.isValid(a);
        return Number.isFinite(cargoScheme.compare(a, b));
      }),
    );
  });

  it('answers long hostile strings without backtracking blow-ups', () => {
    for (const version of hostileVersions) {
      cargoScheme.isValid(version);
      cargoScheme.compare(version, `${version}1`);
    }
  });
});
