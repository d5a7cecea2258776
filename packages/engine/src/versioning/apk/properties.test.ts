/**
 * The scheme laws (../scheme-laws.ts) over generated Alpine versions following apk's grammar:
 * `digit{.digit}...{letter}{_suffix{digits}}...{~hash}{-r#}`, with leading zeros.
 */
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { checkSchemeLaws, joined } from '../scheme-laws.ts';
import { apkScheme } from './scheme.ts';

const digits = fc.constantFrom('0', '1', '2', '01', '10', '001');
const suffix = fc
  .tuple(
    fc.constantFrom('alpha', 'beta', 'pre', 'rc', 'cvs', 'svn', 'git', 'hg', 'p'),
    fc.option(digits, { nil: '' }),
  )
  .map(([name, number]) => `_${name}${number}`);
const version = joined(
  fc.tuple(
    digits,
    joined(
      fc.array(
        digits.map((d) => `.${d}`),
        { maxLength: 3 },
      ),
    ),
    fc.constantFrom('', 'a', 'b', 'z'),
    joined(fc.array(suffix, { maxLength: 2 })),
    fc.constantFrom('', '~0a', '~1', '~ab12'),
    fc.constantFrom('', '-r0', '-r1', '-r10', '-r01'),
  ),
);

describe('apk scheme laws', () => {
  it('reflexive, antisymmetric, transitive on generated versions', () => {
    checkSchemeLaws(apkScheme, version);
  });
});
