/**
 * The scheme laws (../scheme-laws.ts) over generated PEP 440 versions: epochs, releases with
 * trailing zeros, pre-, post- and dev-releases in their permissive spellings, local labels.
 */
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { checkSchemeLaws, joined } from '../scheme-laws.ts';
import { pep440Scheme } from './scheme.ts';

const number = fc.constantFrom('0', '1', '2', '00', '10');
const optional = (arbitrary: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.option(arbitrary, { nil: '' });
const version = joined(
  fc.tuple(
    optional(number.map((n) => `${n}!`)),
    number,
    joined(
      fc.array(
        number.map((n) => `.${n}`),
        { maxLength: 3 },
      ),
    ),
    optional(
      joined(
        fc.tuple(fc.constantFrom('a', 'b', 'rc', 'c', '-alpha', '.beta', 'pre', 'preview'), optional(number)),
      ),
    ),
    optional(fc.constantFrom('.post1', '-1', 'post', '.r2', '-rev0')),
    optional(fc.constantFrom('.dev0', 'dev', '.dev1', '-dev2')),
    optional(fc.constantFrom('+abc', '+1', '+1.abc', '+abc.1', '+0', '+a-b_c')),
  ),
);

describe('pep440 scheme laws', () => {
  it('reflexive, antisymmetric, transitive on generated versions', () => {
    checkSchemeLaws(pep440Scheme, version);
  });
});
