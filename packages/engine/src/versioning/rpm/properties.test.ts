/** The scheme laws (../scheme-laws.ts) over generated RPM EVRs: epochs, `~`, `^`, separators, releases. */
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { checkSchemeLaws, joined } from '../scheme-laws.ts';
import { rpmScheme } from './scheme.ts';

const token = fc.constantFrom('0', '1', '2', '01', '10', 'a', 'b', 'Z', '.', '_', '+', '~', '^');
const field = joined(fc.array(token, { minLength: 1, maxLength: 5 }));
const version = fc
  .tuple(
    fc.option(fc.constantFrom('0', '1', '2', '00'), { nil: undefined }),
    field,
    fc.option(field, { nil: undefined }),
  )
  .map(
    ([epoch, v, release]) =>
      `${epoch === undefined ? '' : `${epoch}:`}${v}${release === undefined ? '' : `-${release}`}`,
  );

describe('rpm scheme laws', () => {
  it('reflexive, antisymmetric, transitive on generated versions', () => {
    checkSchemeLaws(rpmScheme, version);
  });
});
