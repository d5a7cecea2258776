/** The scheme laws (../scheme-laws.ts) over generated npm versions, no throwing on junk, no blow-up on hostile text. */
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { hostileVersions } from './hostile-versions.ts';
import { checkSchemeLaws, joined } from '../scheme-laws.ts';
import { semverScheme } from './scheme.ts';

const number = fc.constantFrom('0', '1', '2', '10', '01', '9007199254740991');
const identifier = fc.constantFrom('0', '1', '10', 'alpha', 'beta', 'rc', 'a1', 'B', 'x-y', '-');
const prerelease = joined(fc.tuple(identifier, fc.constantFrom('', '.'), identifier)).filter(
  (text) => !text.endsWith('.'),
);
const version = fc
  .tuple(
    fc.constantFrom('', 'v', '=', ' '),
    number,
    number,
    number,
    fc.option(prerelease, { nil: undefined }),
    fc.option(fc.constantFrom('build', '001', 'a.b'), { nil: undefined }),
  )
  .map(
    ([prefix, major, minor, patch, pre, build]) =>
      `${prefix}${major}.${minor}.${patch}${pre === undefined ? '' : `-${pre}`}${build === undefined ? '' : `+${build}`}`,
  )
  .filter((text) => semverScheme.isValid(text));

describe('semver (npm) scheme laws', () => {
  it('reflexive, antisymmetric, transitive on generated versions', () => {
    checkSchemeLaws(semverScheme, version);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        semverScheme.isValid(a);
        return Number.isFinite(semverScheme.compare(a, b));
      }),
    );
  });

  it('answers long hostile strings without backtracking blow-ups', () => {
    for (const version of hostileVersions) {
      semverScheme.isValid(version);
      semverScheme.compare(version, `${version}1`);
    }
  });
});
