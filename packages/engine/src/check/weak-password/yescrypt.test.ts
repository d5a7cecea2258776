import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkpasswd, systemCrypt } from './test-hashes.ts';
import { parseYescryptSetting, yescrypt, yescryptMatches } from './yescrypt.ts';

describe('yescrypt', () => {
  it("reproduces libxcrypt's hashes (mkpasswd) at low costs", () => {
    for (const [rounds, password] of [
      [1, 'hunter2'],
      [2, ''],
      [3, 'correct horse battery staple'],
      [1, 'pässwörd€'],
    ] as const) {
      const hash = mkpasswd('yescrypt', password, { rounds });
      assert.equal(yescrypt(password, hash), hash, `cost ${rounds}: ${hash}`);
    }
  });

  it("reproduces Debian's default ($y$j9T$, 16 MiB, pre-hashed)", () => {
    const hash = mkpasswd('yescrypt', 'debian');
    assert.match(hash, /^\$y\$j9T\$/);
    const setting = parseYescryptSetting(hash);
    assert.deepEqual(setting.params, { flags: 0xb6, N: 4096, r: 32, p: 1, t: 0 });
    assert.equal(yescryptMatches('debian', setting), true);
    assert.equal(yescryptMatches('Debian', setting), false);
  });

  it("matches the system's crypt(3) for parameters mkpasswd does not choose (p, t, scrypt, WORM)", () => {
    const settings = [
      '$y$j75..$abcdefghijklmnop', // p = 2
      '$y$j75/.$abcdefghijklmnop', // t = 1
      '$y$j750./$abcdefghijklmnop', // p = 2, t = 2
      '$y$j8A0./$abcdefghijklmnop', // N = 2048, r = 11, p = 2, t = 2
      '$y$.75$abcdefghijklmnop', // classic scrypt
      '$y$/75$abcdefghijklmnop', // WORM
      '$y$/75/.$abcdefghijklmnop', // WORM, t = 1
    ];
    for (const setting of settings) {
      const hash = systemCrypt('hunter2', setting);
      assert.ok(hash.startsWith(setting), `libxcrypt computed ${setting}`);
      assert.equal(yescrypt('hunter2', hash), hash, setting);
    }
  });

  it('rejects a wrong password', () => {
    const setting = parseYescryptSetting(mkpasswd('yescrypt', 'hunter2', { rounds: 1 }));
    assert.equal(yescryptMatches('hunter3', setting), false);
  });

  it('refuses what it cannot compute: other schemes, ROMs, absurd memory', () => {
    assert.throws(() => parseYescryptSetting(mkpasswd('scrypt', 'x')), /not a yescrypt hash/);
    // have = 8 (a ROM): `$y$j9T` then `7` (have 8, min 1) and a ROM size.
    assert.throws(() => parseYescryptSetting('$y$j9T75$salt$hash'), /ROMs are not supported/);
    // N = 2^30 with r = 32: 4 TiB.
    assert.throws(() => parseYescryptSetting('$y$jST$salt$hash'), /out of the supported range/);
  });
});
