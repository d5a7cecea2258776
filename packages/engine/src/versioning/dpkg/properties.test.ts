/** The scheme laws (../scheme-laws.ts) over generated Debian versions: epochs, `~`, `+`, revisions. */
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { checkSchemeLaws, joined } from '../scheme-laws.ts';
import { dpkgScheme } from './scheme.ts';

const token = fc.constantFrom('0', '1', '2', '01', '10', 'a', 'b', 'A', '.', '+', '~', '~~');
const upstream = joined(fc.tuple(fc.constantFrom('0', '1', '2', '10'), ...[0, 1, 2, 3].map(() => token)));
const revision = joined(fc.array(token, { minLength: 1, maxLength: 4 }));
const version = fc
  .tuple(
    fc.option(fc.constantFrom('0', '1', '2', '00'), { nil: undefined }),
    upstream,
    fc.option(revision, { nil: undefined }),
  )
  .map(
    ([epoch, up, rev]) =>
      `${epoch === undefined ? '' : `${epoch}:`}${up}${rev === undefined ? '' : `-${rev}`}`,
  );

describe('dpkg scheme laws', () => {
  it('reflexive, antisymmetric, transitive on generated versions', () => {
    checkSchemeLaws(dpkgScheme, version);
  });
});
