import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nextLink, parseLinkHeader } from './link-header.ts';

const base = new URL('http://127.0.0.1:5000/v2/_catalog?n=2');

describe('Link header', () => {
  it('reads the next page of distribution', () => {
    const next = nextLink('</v2/_catalog?last=test%2Fmulti&n=2>; rel="next"', base);
    assert.equal(next?.href, 'http://127.0.0.1:5000/v2/_catalog?last=test%2Fmulti&n=2');
  });

  it('handles several links, unquoted rel, relation lists and commas in quoted parameters', () => {
    const header = '<https://a/prev>; title="a, b"; rel=prev, <https://a/next?x=1,2>; rel="last next"';
    assert.deepEqual(
      parseLinkHeader(header).map((l) => [l.target, l.params['rel']]),
      [
        ['https://a/prev', 'prev'],
        ['https://a/next?x=1,2', 'last next'],
      ],
    );
    assert.equal(nextLink(header, base)?.href, 'https://a/next?x=1,2');
  });

  it('returns undefined when there is no next link', () => {
    assert.equal(nextLink(undefined, base), undefined);
    assert.equal(nextLink('<x>; rel="prev"', base), undefined);
    assert.equal(nextLink('garbage', base), undefined);
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        nextLink(text, base);
      }),
      { numRuns: 2000 },
    );
  });
});
