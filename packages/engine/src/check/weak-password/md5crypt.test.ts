import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { md5crypt } from './md5crypt.ts';
import { mkpasswd, opensslPasswd } from './test-hashes.ts';

describe('md5crypt', () => {
  it('reproduces openssl passwd -1 for short, 16+ character and non-ASCII passwords', () => {
    for (const password of ['a', 'hunter2', 'correct horse battery staple', 'pässwörd€', 'x'.repeat(40)]) {
      const hash = opensslPasswd('1', password, 'Zx9.ab/C');
      assert.equal(md5crypt(password, hash), hash, password);
    }
  });

  it('reproduces mkpasswd (libxcrypt) hashes with their random salts', () => {
    for (const password of ['secret', 'P@ssw0rd!', '12345678901234567890']) {
      const hash = mkpasswd('md5crypt', password);
      assert.equal(md5crypt(password, hash), hash);
    }
  });

  it('reads at most 8 salt characters, as crypt(3) does', () => {
    const hash = opensslPasswd('1', 'hunter2', 'abcdefghij');
    assert.match(hash, /^\$1\$abcdefgh\$/);
    assert.equal(md5crypt('hunter2', '$1$abcdefghij$'), hash);
  });

  it('gives a different hash for a different password', () => {
    const hash = opensslPasswd('1', 'hunter2', 'saltsalt');
    assert.notEqual(md5crypt('hunter3', hash), hash);
  });
});
