/** The scheme laws (../scheme-laws.ts) over generated Composer versions, no throwing on junk, no blow-up on hostile text. */
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { hostileVersions } from '../semver/hostile-versions.ts';
import { checkSchemeLaws } from '../scheme-laws.ts';
import { composerScheme } from './scheme.ts';

const number = fc.constantFrom('0', '1', '2', '10', '01', '99999');
const stability = fc.constantFrom(
  '',
  '-dev',
  'dev',
  '-alpha',
  'a1',
  '-beta.2',
  '-b',
  'BETA3',
  'RC1',
  '-rc.2',
  '-stable',
  '-patch1',
  'pl2',
  '.p3',
  '-beta1-dev',
);
const version = fc
  .oneof(
    fc
      .tuple(
        fc.constantFrom('', 'v', 'V'),
        fc.array(number, { minLength: 1, maxLength: 4 }),
        stability,
        fc.constantFrom('', '+build'),
      )
      .map(([prefix, numbers, suffix, build]) => `${prefix}${numbers.join('.')}${suffix}${build}`),
    fc.constantFrom(
      'dev-main',
      'dev-feature/x',
      'master',
      '1.x-dev',
      '2.1.x-dev',
      '20240115',
      '2024-01-15.1',
    ),
  )
  .filter((text) => composerScheme.isValid(text));

describe('Composer scheme laws', () => {
  it('reflexive, antisymmetric, transitive on generated versions', () => {
    checkSchemeLaws(composerScheme, version);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        composerScheme.isValid(a);
        return Number.isFinite(composerScheme.compare(a, b));
      }),
    );
  });

  it('answers long hostile strings without backtracking blow-ups', () => {
    for (const version of hostileVersions) {
      composerScheme.isValid(version);
      composerScheme.compare(version, `${version}1`);
    }
  });
});
