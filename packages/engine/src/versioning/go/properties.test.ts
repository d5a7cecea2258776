/** The scheme laws (../scheme-laws.ts) over generated Go versions (pseudo-versions, +incompatible), no throwing on junk, no blow-up on hostile text. */
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { hostileVersions } from '../semver/hostile-versions.ts';
import { checkSchemeLaws, joined } from '../scheme-laws.ts';
import { goScheme } from './scheme.ts';

const number = fc.constantFrom('0', '1', '2', '10', '18446744073709551616');
const identifier = fc.constantFrom(
  '0',
  '1',
  '10',
  'alpha',
  'beta',
  'rc',
  'pre',
  '20191109021931',
  'daa7c04131f5',
  'x-y',
);
const prerelease = joined(fc.array(identifier, { minLength: 1, maxLength: 4 }).map((ids) => [ids.join('.')]));
const version = fc
  .tuple(
    fc.constantFrom('', 'v'),
    number,
    fc.option(number, { nil: undefined }),
    number,
    fc.option(prerelease, { nil: undefined }),
    fc.option(fc.constantFrom('incompatible', 'meta.01'), { nil: undefined }),
  )
  .map(([v, major, minor, patch, pre, build]) =>
    minor === undefined
      ? `${v}${major}`
      : `${v}${major}.${minor}.${patch}${pre === undefined ? '' : `-${pre}`}${build === undefined ? '' : `+${build}`}`,
  );

describe('Go scheme laws', () => {
  it('reflexive, antisymmetric, transitive on generated versions', () => {
    checkSchemeLaws(goScheme, version);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        goScheme.isValid(a);
        return Number.isFinite(goScheme.compare(a, b));
      }),
    );
  });

  it('answers long hostile strings without backtracking blow-ups', () => {
    for (const version of hostileVersions) {
      goScheme.isValid(version);
      goScheme.compare(version, `${version}1`);
    }
  });
});
