import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { KeywordIndex } from './keyword-index.ts';

/** Every (keyword, end) pair by brute force: the oracle for the automaton. */
function naive(keywords: readonly string[], text: string): string[] {
  const lower = text.toLowerCase();
  const hits: string[] = [];
  for (let end = 1; end <= lower.length; end++)
    keywords.forEach((keyword, index) => {
      if (end >= keyword.length && lower.slice(end - keyword.length, end) === keyword)
        hits.push(`${index}@${end}`);
    });
  return hits;
}

function automaton(keywords: readonly string[], text: string): string[] {
  const hits: string[] = [];
  new KeywordIndex(keywords).scan(Buffer.from(text, 'latin1'), (keyword, end) =>
    hits.push(`${keyword}@${end}`),
  );
  return hits;
}

describe('KeywordIndex', () => {
  it('finds overlapping and nested keywords, case ignored', () => {
    const keywords = ['he', 'she', 'his', 'hers', 'password', 'pass'];
    const text = 'USHERS and PassWord: his';
    assert.deepEqual(automaton(keywords, text).sort(), naive(keywords, text).sort());
    assert.ok(automaton(keywords, text).includes('4@19'));
  });

  it('agrees with a brute-force search on random keywords and texts', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '_', '-'), minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(
        fc.uniqueArray(word, { minLength: 1, maxLength: 8 }),
        fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A', 'B', '_', '-', '\n'), maxLength: 200 }),
        (keywords, text) => {
          assert.deepEqual(automaton(keywords, text).sort(), naive(keywords, text).sort());
          assert.equal(
            new KeywordIndex(keywords).test(Buffer.from(text, 'latin1')),
            naive(keywords, text).length > 0,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds the same hits, in order of their ends, in contents long enough for two lanes', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '_'), minLength: 1, maxLength: 9 });
    fc.assert(
      fc.property(
        fc.uniqueArray(word, { minLength: 1, maxLength: 8 }),
        fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A', '_', '\n'), minLength: 1024, maxLength: 2100 }),
        (keywords, text) => {
          const hits = automaton(keywords, text);
          assert.deepEqual([...hits].sort(), naive(keywords, text).sort());
          const ends = hits.map((hit) => Number(hit.split('@')[1]));
          assert.ok(
            ends.every((end, index) => index === 0 || end >= (ends[index - 1] ?? 0)),
            'in order of end',
          );
        },
      ),
      { numRuns: 200 },
    );
    // A keyword across the middle of the content is found once.
    const text = `${'x'.repeat(1000)}password${'x'.repeat(1000)}`;
    assert.deepEqual(automaton(['password'], text), ['0@1008']);
  });

  it('rejects keywords it could not match', () => {
    assert.throws(() => new KeywordIndex(['Upper']));
    assert.throws(() => new KeywordIndex(['']));
  });
});
