import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { identifyHash, type WeakPasswordAlgorithm } from './hash-algorithm.ts';
import { mkpasswd, opensslPasswd } from './test-hashes.ts';
import { createVerifier, firstMatch } from './verify-password.ts';

function verifies(hash: string, password: string): boolean {
  const kind = identifyHash(hash);
  assert.ok(kind.supported, `${hash} is supported`);
  return createVerifier(kind.algorithm, hash)(password);
}

describe('createVerifier', () => {
  const real: [WeakPasswordAlgorithm, string][] = [
    ['des', mkpasswd('des', 'hunter2')],
    ['md5crypt', mkpasswd('md5crypt', 'hunter2')],
    ['md5crypt', opensslPasswd('1', 'hunter2', 'saltsalt')],
    ['sha256crypt', opensslPasswd('5', 'hunter2', 'abcdefgh')],
    ['sha256crypt', mkpasswd('sha256crypt', 'hunter2', { rounds: 1000 })],
    ['sha512crypt', opensslPasswd('6', 'hunter2', 'abcdefgh')],
    ['sha512crypt', mkpasswd('sha512crypt', 'hunter2', { rounds: 2000 })],
    ['bcrypt', mkpasswd('bcrypt', 'hunter2', { rounds: 5 })],
    ['bcrypt', mkpasswd('bcrypt-a', 'hunter2', { rounds: 5 })],
    ['yescrypt', mkpasswd('yescrypt', 'hunter2', { rounds: 1 })],
  ];

  for (const [algorithm, hash] of real) {
    it(`verifies ${algorithm} ${hash.slice(0, 12)}… and rejects a near miss`, () => {
      assert.equal(identifyHash(hash).algorithm, algorithm);
      assert.equal(verifies(hash, 'hunter2'), true);
      assert.equal(verifies(hash, 'hunter3'), false);
      assert.equal(verifies(hash, 'Hunter2'), false);
    });
  }

  it("verifies bcrypt's $2y$ (htpasswd -B)", () => {
    const line = execFileSync('htpasswd', ['-nbB', '-C', '5', 'alice', 'hunter2'], {
      encoding: 'utf8',
    }).trim();
    const hash = line.slice('alice:'.length);
    assert.match(hash, /^\$2y\$05\$/);
    assert.equal(verifies(hash, 'hunter2'), true);
    assert.equal(verifies(hash, 'hunter3'), false);
  });

  it('reads only 8 characters for DES, as crypt(3) does', () => {
    const hash = mkpasswd('des', 'password');
    assert.equal(verifies(hash, 'password123'), true);
    assert.equal(verifies(hash, 'passwor'), false);
  });
});

describe('firstMatch', () => {
  it('returns the index of the matching guess, or -1', () => {
    const hash = opensslPasswd('1', 'letmein', 'abcdefgh');
    assert.equal(
      firstMatch({ algorithm: 'md5crypt', hash, passwords: ['123456', 'letmein', 'password'] }),
      1,
    );
    assert.equal(firstMatch({ algorithm: 'md5crypt', hash, passwords: ['123456', 'password'] }), -1);
  });
});
