import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findWeakPasswords } from './find-weak-passwords.ts';
import { mkpasswd, opensslPasswd, shadowLine } from './test-hashes.ts';

/** Passwords no dictionary, name or project word here reaches. */
const strong = ['vX7#qL9!mZ2@wR4t', 'Tr0ub4dor&3-horse-Staple', 'k2$Pq8^nB5!zW1yE'];

describe('findWeakPasswords', () => {
  it('finds every weak password for every scheme on worker threads, and reports no strong one', async () => {
    const weak: [string, string, string, 'dictionary' | 'user-name' | 'project'][] = [
      ['root', mkpasswd('yescrypt', 'root'), 'yescrypt', 'user-name'], // Debian 12's default $y$j9T$
      ['alice', opensslPasswd('1', 'password', 'Q8kz3Lw.'), 'md5crypt', 'dictionary'],
      ['bob', opensslPasswd('6', 'Bob1', 'n0tAs4lt'), 'sha512crypt', 'user-name'],
      ['carol', mkpasswd('sha256crypt', 'qwerty'), 'sha256crypt', 'dictionary'],
      ['dave', mkpasswd('bcrypt', 'letmein', { rounds: 5 }), 'bcrypt', 'dictionary'],
      ['erin', mkpasswd('des', 'abc123'), 'des', 'dictionary'],
      ['frank', mkpasswd('yescrypt', 'drydock-2024', { rounds: 1 }), 'yescrypt', 'project'],
    ];
    const strongAccounts: [string, string][] = [
      ['sam', opensslPasswd('1', strong[0]!, 'abcdefgh')],
      ['sue', opensslPasswd('6', strong[1]!, 'abcdefgh')],
      ['sid', mkpasswd('des', strong[2]!)],
      ['sol', mkpasswd('yescrypt', strong[0]!, { rounds: 1 })],
      ['sky', mkpasswd('bcrypt', strong[1]!, { rounds: 4 })],
    ];
    const shadow = [
      'daemon:*:19800:0:99999:7:::',
      ...weak.map(([account, hash]) => shadowLine(account, hash)),
      'nobody:!:19800:0:99999:7:::',
      ...strongAccounts.map(([account, hash]) => shadowLine(account, hash)),
      shadowLine('legacy', mkpasswd('scrypt', 'password')),
    ].join('\n');

    const result = await findWeakPasswords(shadow, {
      extraWords: ['drydock-2024'],
      maxGuesses: 3_000,
      threads: 2,
    });

    assert.deepEqual(
      result.findings.map((finding) => [finding.account, finding.algorithm, finding.source, finding.line]),
      weak.map(([account, , algorithm, source], index) => [account, algorithm, source, index + 2]),
    );
    assert.deepEqual(
      result.findings.map((finding) => finding.password),
      ['r***', 'p*******', 'B***', 'q*****', 'l******', 'a*****', 'd***********'],
    );
    assert.deepEqual(result.unsupported, [{ account: 'legacy', algorithm: 'scrypt' }]);
    // The strong hashes would need the whole dictionary: 3000 units do not cover that.
    assert.equal(result.exhausted, true);
    assert.ok(result.tried > 100 && result.tried <= 3_000, `tried ${result.tried}`);
    const shown = JSON.stringify(result);
    for (const password of ['password', 'Bob1', 'qwerty', 'letmein', 'abc123', 'drydock-2024']) {
      assert.ok(!shown.includes(`:"${password}"`), `${password} does not leave the module unmasked`);
    }
  });

  it('tries the whole dictionary when the budget allows, and says it was not exhausted', async () => {
    // DES, the cheapest scheme, so the whole list takes little time.
    const shadow = shadowLine('sid', mkpasswd('des', strong[2]!));
    const result = await findWeakPasswords(shadow, { threads: 0, maxGuesses: 100_000 });
    assert.deepEqual(result.findings, []);
    assert.equal(result.exhausted, false);
    assert.ok(result.tried > 3_000, `tried ${result.tried}`);
  });

  it('stops at the budget and reports it exhausted', async () => {
    const shadow = shadowLine('sam', opensslPasswd('1', strong[0]!, 'abcdefgh'));
    const result = await findWeakPasswords(shadow, { threads: 0, maxGuesses: 150 });
    assert.equal(result.exhausted, true);
    assert.equal(result.tried, 150);
    assert.deepEqual(result.findings, []);
  });

  it('spends a small budget on the most likely candidates of a slow hash first', async () => {
    // Debian's default yescrypt costs 155 units a guess: 400 units allow two guesses.
    const shadow = [
      shadowLine('admin', mkpasswd('yescrypt', 'admin')),
      shadowLine('ops', mkpasswd('yescrypt', '123456')),
    ].join('\n');
    const result = await findWeakPasswords(shadow, { threads: 0, maxGuesses: 400 });
    assert.deepEqual(
      result.findings.map((finding) => [finding.account, finding.source]),
      [['admin', 'user-name']],
    );
    assert.equal(result.tried, 2);
    assert.equal(result.exhausted, true);
  });

  it('guesses a hash shared by several accounts once and reports each account', async () => {
    const hash = opensslPasswd('1', 'changeme', 'sharedsa');
    const shadow = [shadowLine('svc1', hash), shadowLine('svc2', hash)].join('\n');
    const result = await findWeakPasswords(shadow, { threads: 0 });
    assert.deepEqual(
      result.findings.map((finding) => [finding.account, finding.line, finding.password]),
      [
        ['svc1', 1, 'c*******'],
        ['svc2', 2, 'c*******'],
      ],
    );
    // Both names' variants, then the dictionary up to `changeme` (47th): each guessed once.
    assert.ok(result.tried < 2 * 29 + 47 + 1, `tried ${result.tried}`);
    assert.equal(result.exhausted, false);
  });

  it('has nothing to do for a shadow file of locked accounts', async () => {
    const result = await findWeakPasswords('root:*:19800:0:99999:7:::\nbin:!:19800::::::\n');
    assert.deepEqual(result, { findings: [], tried: 0, exhausted: false, unsupported: [] });
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      findWeakPasswords(shadowLine('a', opensslPasswd('1', 'x', 'abcdefgh')), { signal: controller.signal }),
      {
        name: 'AbortError',
      },
    );
  });
});
