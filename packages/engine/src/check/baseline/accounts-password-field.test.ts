import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { parsePasswordField, type HashAlgorithm } from './accounts-password-field.ts';

/** A real hash from Debian's mkpasswd (package whois, libxcrypt underneath). */
function mkpasswd(method: string, password: string, salt?: string): string {
  const args = ['-m', method, ...(salt ? ['-S', salt] : []), password];
  return execFileSync('mkpasswd', args, { encoding: 'utf8' }).trim();
}

describe('parsePasswordField', () => {
  const methods: readonly (readonly [method: string, algorithm: HashAlgorithm, weak: boolean])[] = [
    ['descrypt', 'des', true],
    ['bsdicrypt', 'bsdi-des', true],
    ['md5crypt', 'md5crypt', true],
    ['sunmd5', 'sun-md5', true],
    ['nt', 'nthash', true],
    ['bcrypt', 'bcrypt', false],
    ['bcrypt-a', 'bcrypt', false],
    ['sha256crypt', 'sha256crypt', false],
    ['sha512crypt', 'sha512crypt', false],
    ['scrypt', 'scrypt', false],
    ['yescrypt', 'yescrypt', false],
    ['gost-yescrypt', 'gost-yescrypt', false],
  ];
  for (const [method, algorithm, weak] of methods) {
    it(`recognises ${method} hashes${weak ? ' as weak' : ''} and masks them`, () => {
      const value = mkpasswd(method, 'correct horse battery');
      const field = parsePasswordField(value);
      assert.equal(field.kind, 'hash');
      assert.ok(field.kind === 'hash');
      assert.equal(field.hash.algorithm, algorithm);
      assert.equal(field.hash.weakness !== undefined, weak);
      assert.equal(field.hash.value, value);
      // The mask ends the shown part with an ellipsis and never holds the hash itself.
      assert.ok(field.hash.masked.endsWith('…'), field.hash.masked);
      const shown = field.hash.masked.slice(0, -1);
      assert.ok(value.startsWith(shown), `${field.hash.masked} is a prefix of the hash`);
      const hashPart = value.slice(value.lastIndexOf('$') + 1);
      assert.ok(!field.hash.masked.includes(hashPart.slice(0, 8)), field.hash.masked);
    });
  }

  it('shows the scheme, its parameters and two characters of the salt at most', () => {
    const masked = (value: string) => {
      const field = parsePasswordField(value);
      assert.ok(field.kind === 'hash');
      return field.hash.masked;
    };
    assert.equal(masked(mkpasswd('md5crypt', 'secret', 'abcdefgh')), '$1$ab…');
    assert.equal(masked(mkpasswd('sha512crypt', 'secret', 'saltsaltsalt')), '$6$sa…');
    assert.equal(masked('$6$rounds=10000$saltsalt$' + 'h'.repeat(86)), '$6$rounds=10000$sa…');
    assert.equal(masked(mkpasswd('descrypt', 'secret', 'ab')), 'a…');
    assert.equal(masked('$2b$05$bdYP.sW2fkTVB4WejD2jCuxv6BT5UO4UT7ogYeCRZ0xpb3UlDuH4a'), '$2b$05$bd…');
    assert.equal(masked('$3$$878d8014606cda29677a44efa1353fc7'), '$3$…');
    assert.match(masked(mkpasswd('yescrypt', 'secret')), /^\$y\$j9T\$[./0-9A-Za-z]{2}…$/);
  });

  it('flags the legacy bcrypt prefixes and leaves unknown schemes unjudged', () => {
    const legacy = parsePasswordField('$2x$05$bdYP.sW2fkTVB4WejD2jCuxv6BT5UO4UT7ogYeCRZ0xpb3UlDuH4a');
    assert.ok(legacy.kind === 'hash');
    assert.equal(legacy.hash.algorithm, 'bcrypt-legacy');
    assert.ok(legacy.hash.weakness);
    const unknown = parsePasswordField('$9$somesalt$somehash');
    assert.ok(unknown.kind === 'hash');
    assert.equal(unknown.hash.algorithm, 'unknown');
    assert.equal(unknown.hash.weakness, undefined);
  });

  it('tells empty, shadowed, locked and invalid fields apart', () => {
    assert.deepEqual(parsePasswordField(''), { kind: 'empty' });
    assert.deepEqual(parsePasswordField('x'), { kind: 'shadowed' });
    assert.deepEqual(parsePasswordField('*'), { kind: 'locked', marker: '*', hash: undefined });
    assert.deepEqual(parsePasswordField('!'), { kind: 'locked', marker: '!', hash: undefined });
    assert.deepEqual(parsePasswordField('!!'), { kind: 'locked', marker: '!!', hash: undefined });
    assert.deepEqual(parsePasswordField('*LK*'), { kind: 'locked', marker: '*LK*', hash: undefined });
    assert.deepEqual(parsePasswordField('plaintext'), { kind: 'invalid' });
    const locked = parsePasswordField(`!${mkpasswd('md5crypt', 'secret', 'abcdefgh')}`);
    assert.ok(locked.kind === 'locked');
    assert.equal(locked.marker, '!');
    assert.equal(locked.hash?.algorithm, 'md5crypt');
  });
});
