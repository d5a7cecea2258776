import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { debianRootfs } from '../../../../../test/harness/debian-rootfs.ts';
import type { BaselineCheckResult } from './check-result.ts';
import { sshdChecks } from './sshd-checks.ts';

const allIds = [
  'sshd-permit-root-login',
  'sshd-password-authentication',
  'sshd-permit-empty-passwords',
  'sshd-protocol',
  'sshd-x11-forwarding',
  'sshd-max-auth-tries',
  'sshd-ciphers',
  'sshd-macs',
  'sshd-kex-algorithms',
];

function byId(results: readonly BaselineCheckResult[], id: string): BaselineCheckResult {
  const found = results.find((result) => result.id === id);
  assert.ok(found, `no result ${id}`);
  return found;
}

function run(main: string, extra: Record<string, string> = {}): BaselineCheckResult[] {
  return sshdChecks(new Map(Object.entries({ 'etc/ssh/sshd_config': main, ...extra })));
}

const hardened = [
  'PermitRootLogin no',
  'PasswordAuthentication no',
  'PermitEmptyPasswords no',
  'Protocol 2',
  'X11Forwarding no',
  'MaxAuthTries 4',
  'Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes256-ctr',
  'MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com',
  'KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256',
].join('\n');

describe('sshdChecks', () => {
  it('is not applicable throughout without sshd_config', () => {
    const results = sshdChecks(new Map([['etc/passwd', 'root:x:0:0::/root:/bin/sh']]));
    assert.deepEqual(
      results.map((result) => [result.id, result.result, result.current]),
      allIds.map((id) => [id, 'not_applicable', 'no etc/ssh/sshd_config']),
    );
  });

  it('passes a hardened configuration, with the line of each setting as evidence', () => {
    const results = run(hardened);
    assert.deepEqual(
      results.map((result) => [result.id, result.result]),
      allIds.map((id) => [id, 'pass']),
    );
    assert.deepEqual(byId(results, 'sshd-max-auth-tries').evidence, [
      { location: 'etc/ssh/sshd_config', line: 6, detail: 'MaxAuthTries 4' },
    ]);
    for (const result of results) assert.equal(result.area, 'ssh');
  });

  it('says which OpenSSH defaults apply to an empty configuration', () => {
    const results = run('# nothing\n');
    assert.deepEqual(
      results.map((result) => [result.id, result.result, result.current]),
      [
        [
          'sshd-permit-root-login',
          'pass',
          'PermitRootLogin not set (OpenSSH 9.2 default: prohibit-password)',
        ],
        ['sshd-password-authentication', 'fail', 'PasswordAuthentication not set (OpenSSH 9.2 default: yes)'],
        ['sshd-permit-empty-passwords', 'pass', 'PermitEmptyPasswords not set (OpenSSH 9.2 default: no)'],
        ['sshd-protocol', 'not_applicable', 'Protocol not set'],
        ['sshd-x11-forwarding', 'pass', 'X11Forwarding not set (OpenSSH 9.2 default: no)'],
        ['sshd-max-auth-tries', 'fail', 'MaxAuthTries not set (OpenSSH 9.2 default: 6)'],
        ['sshd-ciphers', 'pass', byId(results, 'sshd-ciphers').current ?? ''],
        ['sshd-macs', 'pass', byId(results, 'sshd-macs').current ?? ''],
        ['sshd-kex-algorithms', 'pass', byId(results, 'sshd-kex-algorithms').current ?? ''],
      ],
    );
    assert.match(
      byId(results, 'sshd-ciphers').current ?? '',
      /^Ciphers not set \(OpenSSH 9\.2 default: chacha20/,
    );
    assert.deepEqual(byId(results, 'sshd-password-authentication').evidence, [
      {
        location: 'etc/ssh/sshd_config',
        detail: 'PasswordAuthentication not set; OpenSSH 9.2 default yes — passwords are accepted',
      },
    ]);
  });

  it('fails each weak setting, naming the value and why', () => {
    const results = run(
      [
        'PermitRootLogin yes',
        'PasswordAuthentication yes',
        'PermitEmptyPasswords yes',
        'Protocol 2,1',
        'X11Forwarding yes',
        'MaxAuthTries 10',
        'Ciphers aes256-ctr,aes128-cbc,3des-cbc,arcfour256',
        'MACs hmac-sha2-256,hmac-md5,hmac-sha1-96-etm@openssh.com',
        'KexAlgorithms curve25519-sha256,diffie-hellman-group1-sha1,diffie-hellman-group14-sha1',
      ].join('\n'),
    );
    assert.deepEqual(
      results.map((result) => [result.id, result.result]),
      allIds.map((id) => [id, 'fail']),
    );
    assert.deepEqual(byId(results, 'sshd-ciphers').evidence, [
      {
        location: 'etc/ssh/sshd_config',
        line: 7,
        detail:
          'Ciphers aes256-ctr,aes128-cbc,3des-cbc,arcfour256 — weak: aes128-cbc (CBC mode (plaintext recovery, CVE-2008-5161)), 3des-cbc (64-bit block cipher (Sweet32)), arcfour256 (RC4 keystream biases)',
      },
    ]);
    assert.match(
      byId(results, 'sshd-macs').evidence[0]?.detail ?? '',
      /weak: hmac-md5 .*, hmac-sha1-96-etm@openssh.com/,
    );
    assert.match(
      byId(results, 'sshd-kex-algorithms').evidence[0]?.detail ?? '',
      /weak: diffie-hellman-group1-sha1 \(1024-bit group \(Logjam\) with SHA-1\), diffie-hellman-group14-sha1 \(SHA-1/,
    );
    assert.equal(byId(results, 'sshd-permit-root-login').current, 'PermitRootLogin yes');
  });

  it('resolves + and - algorithm lists against the default', () => {
    const results = run('Ciphers +aes256-cbc\nMACs -umac-64*,hmac-sha1*\nKexAlgorithms -*sha1');
    assert.equal(byId(results, 'sshd-ciphers').result, 'fail');
    assert.match(byId(results, 'sshd-ciphers').evidence[0]?.detail ?? '', /weak: aes256-cbc /);
    assert.equal(byId(results, 'sshd-macs').result, 'pass');
    assert.equal(byId(results, 'sshd-kex-algorithms').result, 'pass');
  });

  it('takes the first value, from an Include before the main file, and accepts prohibit-password', () => {
    const results = run('Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\nMaxAuthTries 3', {
      'etc/ssh/sshd_config.d/50-keys.conf': 'PermitRootLogin prohibit-password\n',
    });
    const root = byId(results, 'sshd-permit-root-login');
    assert.equal(root.result, 'pass');
    assert.deepEqual(root.evidence, [
      {
        location: 'etc/ssh/sshd_config.d/50-keys.conf',
        line: 1,
        detail: 'PermitRootLogin prohibit-password',
      },
    ]);
  });

  it('fails a weak value set in a Match block, and notes a harmless one', () => {
    const results = run(
      [
        hardened,
        'Match User backup',
        '  PasswordAuthentication yes',
        'Match Address 10.0.0.0/8',
        '  MaxAuthTries 2',
      ].join('\n'),
    );
    const passwords = byId(results, 'sshd-password-authentication');
    assert.equal(passwords.result, 'fail');
    assert.equal(
      passwords.current,
      'PasswordAuthentication no; Match User backup: PasswordAuthentication yes',
    );
    assert.deepEqual(passwords.evidence, [
      { location: 'etc/ssh/sshd_config', line: 2, detail: 'PasswordAuthentication no' },
      {
        location: 'etc/ssh/sshd_config',
        line: 11,
        detail: 'PasswordAuthentication yes in Match User backup (line 10) — passwords are accepted',
      },
    ]);
    const tries = byId(results, 'sshd-max-auth-tries');
    assert.equal(tries.result, 'pass');
    assert.equal(tries.current, 'MaxAuthTries 4; Match Address 10.0.0.0/8: MaxAuthTries 2');
  });

  it('is not applicable throughout on a stock Debian minbase, which has no SSH server', async () => {
    const root = await debianRootfs();
    const config = await readFile(join(root, 'etc/ssh/sshd_config'), 'utf8').catch(() => undefined);
    assert.equal(config, undefined);
    const results = sshdChecks(new Map([['etc/passwd', await readFile(join(root, 'etc/passwd'), 'utf8')]]));
    assert.ok(results.every((result) => result.result === 'not_applicable'));
    assert.equal(results.length, allIds.length);
  });
});
