/** The scheme laws (../scheme-laws.ts) over generated RubyGems versions, no throwing on junk, no blow-up on hostile text. */
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { hostileVersions } from '../semver/hostile-versions.ts';
import { checkSchemeLaws, joined } from '../scheme-laws.ts';
import { rubygemsScheme } from './scheme.ts';

const segment = fc.constantFrom(
  '0',
  '1',
  '2',
  '10',
  '00',
  '01',
  '99999999999999999999',
  'a',
  'b',
  'pre',
  'rc',
  'RC',
  'beta1',
  '1a',
  'a1',
);
const version = fc
  .tuple(
    fc.constantFrom('0', '1', '2', '10'),
    fc.array(segment, { maxLength: 4 }),
    fc.option(joined(fc.tuple(segment, fc.constantFrom('', '.', '-'), segment)), { nil: undefined }),
  )
  .map(([first, rest, pre]) => `${[first, ...rest].join('.')}${pre === undefined ? '' : `-${pre}`}`)
  .filter((text) => rubygemsScheme.isValid(text));

describe('RubyGems scheme laws', () => {
  it('reflexive, antisymmetric, transitive on generated versions', () => {
    checkSchemeLaws(rubygemsScheme, version);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        rubygemsScheme.isValid(a);
        return Number.isFinite(rubygemsScheme.compare(a, b));
      }),
    );
  });

  it('answers long hostile strings without backtracking blow-ups', () => {
    for (const version of hostileVersions) {
      rubygemsScheme.isValid(version);
      rubygemsScheme.compare(version, `${version}1`);
    }
  });
});
