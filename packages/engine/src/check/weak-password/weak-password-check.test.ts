import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findWeakPasswords, type WeakPasswordResult } from './find-weak-passwords.ts';
import { mkpasswd, opensslPasswd, shadowLine } from './test-hashes.ts';
import { weakPasswordCheck } from './weak-password-check.ts';

describe('weakPasswordCheck', () => {
  it('fails with one masked piece of evidence per guessed account', async () => {
    const shadow = [
      'root:*:19800:0:99999:7:::',
      shadowLine('alice', opensslPasswd('1', 'abc123', 'abcdefgh')),
      shadowLine('bob', mkpasswd('yescrypt', 'vX7#qL9!mZ2@wR4t', { rounds: 1 })),
    ].join('\n');
    const check = weakPasswordCheck(await findWeakPasswords(shadow, { threads: 0, maxGuesses: 300 }));
    assert.equal(check.id, 'weak-password');
    assert.equal(check.area, 'weak-password');
    assert.equal(check.result, 'fail');
    assert.equal(check.standard, 'Drydock');
    assert.deepEqual(check.evidence, [
      { location: 'etc/shadow', line: 2, detail: 'alice: md5crypt, password a*****' },
    ]);
    assert.match(
      check.current ?? '',
      /^1 account with a guessable password \(\d+ guesses made; the guessing budget ran out/,
    );
  });

  it('passes when nothing was guessed, saying what was not covered', () => {
    const result: WeakPasswordResult = {
      findings: [],
      tried: 3545,
      exhausted: false,
      unsupported: [{ account: 'legacy', algorithm: 'scrypt' }],
    };
    const check = weakPasswordCheck(result);
    assert.equal(check.result, 'pass');
    assert.deepEqual(check.evidence, []);
    assert.match(check.current ?? '', /3545 guesses made; not checked, unsupported hash: legacy \(scrypt\)/);
  });

  it('is not applicable when no hash could be guessed at all', () => {
    const check = weakPasswordCheck({ findings: [], tried: 0, exhausted: false, unsupported: [] });
    assert.equal(check.result, 'not_applicable');
    assert.equal(check.current, undefined);
  });
});
