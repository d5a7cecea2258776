import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rememberParses } from './remembered-parse.ts';

describe('rememberParses', () => {
  it('parses each string once, refusals included, and returns the same parsed form', () => {
    const calls: string[] = [];
    const parse = rememberParses((version: string) => {
      calls.push(version);
      return /^\d+$/.test(version) ? { value: Number(version) } : undefined;
    });
    const first = parse('12');
    assert.deepEqual(first, { value: 12 });
    assert.equal(parse('12'), first);
    assert.equal(parse('x'), undefined);
    assert.equal(parse('x'), undefined);
    assert.deepEqual(calls, ['12', 'x']);
  });

  it('starts over instead of growing past its bound', () => {
    let calls = 0;
    const parse = rememberParses((version: string) => {
      calls++;
      return version.length;
    });
    for (let i = 0; i < 20_000; i++) parse(String(i));
    assert.equal(calls, 20_000);
    parse('0'); // dropped when the memory started over at 16,384 answers
    assert.equal(calls, 20_001);
    parse('19999'); // kept since
    assert.equal(calls, 20_001);
  });
});
