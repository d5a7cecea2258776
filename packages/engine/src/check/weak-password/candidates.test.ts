import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { candidatesFor, commonPasswords, userNameVariants } from './candidates.ts';

describe('commonPasswords', () => {
  it("loads John the Ripper's list in frequency order, without its comment header", () => {
    const words = commonPasswords();
    // 3546 entries, one of them the empty password (empty hashes are the accounts check's).
    assert.equal(words.length, 3545);
    assert.deepEqual(words.slice(0, 3), ['123456', '12345', 'password']);
    assert.ok(!words.some((word) => word.startsWith('#!comment')));
  });
});

describe('userNameVariants', () => {
  it('covers the name, capitalised, and with common suffixes', () => {
    const variants = userNameVariants('alice');
    for (const expected of [
      'alice',
      'Alice',
      'ALICE',
      'alice123',
      'Alice1',
      'alice1',
      'ecila',
      'alicealice',
    ]) {
      assert.ok(variants.includes(expected), expected);
    }
  });
});

describe('candidatesFor', () => {
  it('orders user names, then project words, then the dictionary, each password once', () => {
    const candidates = candidatesFor(
      ['alice'],
      ['drydock', 'alice', 'password'],
      ['password', 'drydock', '123456'],
    );
    const sources = candidates.map((candidate) => `${candidate.source}:${candidate.password}`);
    assert.equal(sources[0], 'user-name:alice');
    assert.ok(sources.indexOf('project:drydock') > sources.indexOf('user-name:alice123'));
    assert.ok(sources.includes('project:password'));
    assert.ok(!sources.includes('project:alice'));
    assert.ok(!sources.includes('dictionary:password'));
    assert.equal(sources.at(-1), 'dictionary:123456');
  });

  it('drops guesses that hash alike when the scheme reads only a prefix', () => {
    const candidates = candidatesFor([], [], ['password', 'password1', 'password12', 'passwor'], 8);
    assert.deepEqual(
      candidates.map((candidate) => candidate.password),
      ['password', 'passwor'],
    );
  });
});
