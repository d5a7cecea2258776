import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { identifyHash } from './hash-algorithm.ts';
import { mkpasswd } from './test-hashes.ts';

function cost(hash: string): number {
  const kind = identifyHash(hash);
  assert.ok(kind.supported, hash);
  return kind.cost;
}

describe('identifyHash', () => {
  it('names the scheme of each real hash', () => {
    assert.equal(identifyHash(mkpasswd('des', 'x')).algorithm, 'des');
    assert.equal(identifyHash(mkpasswd('md5crypt', 'x')).algorithm, 'md5crypt');
    assert.equal(identifyHash(mkpasswd('sha256crypt', 'x')).algorithm, 'sha256crypt');
    assert.equal(identifyHash(mkpasswd('sha512crypt', 'x')).algorithm, 'sha512crypt');
    assert.equal(identifyHash(mkpasswd('bcrypt', 'x', { rounds: 4 })).algorithm, 'bcrypt');
    assert.equal(identifyHash(mkpasswd('yescrypt', 'x')).algorithm, 'yescrypt');
  });

  it('reports schemes it cannot verify as unsupported, by name', () => {
    assert.deepEqual(identifyHash(mkpasswd('scrypt', 'x')), { supported: false, algorithm: 'scrypt' });
    assert.deepEqual(identifyHash('_J9..qOBpoEkjKvNbw6.'), { supported: false, algorithm: 'bsdicrypt' });
    assert.deepEqual(identifyHash('$gy$j9T$abc$def'), { supported: false, algorithm: 'gost-yescrypt' });
    assert.deepEqual(identifyHash('$y$j9T75$salt$hash'), {
      supported: false,
      algorithm: 'yescrypt (unsupported parameters)',
    });
    assert.deepEqual(identifyHash('$9$whatever$x'), { supported: false, algorithm: '$9$' });
  });

  it('weighs a guess by the work its parameters ask for', () => {
    assert.equal(cost(mkpasswd('md5crypt', 'x')), 1);
    assert.equal(cost(mkpasswd('sha512crypt', 'x')), 5);
    assert.equal(cost(mkpasswd('sha512crypt', 'x', { rounds: 50_000 })), 50);
    assert.equal(cost(mkpasswd('bcrypt', 'x', { rounds: 10 })), 40);
    assert.equal(cost(mkpasswd('bcrypt', 'x', { rounds: 12 })), 160);
    assert.equal(cost(mkpasswd('yescrypt', 'x')), 155);
    assert.ok(cost(mkpasswd('yescrypt', 'x', { rounds: 1 })) < 20);
  });
});
