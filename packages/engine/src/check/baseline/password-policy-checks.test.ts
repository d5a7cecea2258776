import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { debianRootfs } from '../../../../../test/harness/debian-rootfs.ts';
import type { BaselineCheckResult } from './check-result.ts';
import { passwordPolicyChecks } from './password-policy-checks.ts';
import { parseLoginDefs } from './password-policy-login-defs.ts';
import { parsePam } from './password-policy-pam.ts';
import { qualityPolicy } from './password-policy-quality.ts';

function byId(results: readonly BaselineCheckResult[], id: string): BaselineCheckResult {
  const found = results.find((result) => result.id === id);
  assert.ok(found, `no result ${id}`);
  return found;
}

function details(result: BaselineCheckResult): string[] {
  return result.evidence.map((item) => item.detail);
}

const allIds = [
  'password-policy-max-days',
  'password-policy-min-days',
  'password-policy-warn-age',
  'password-policy-min-len',
  'password-policy-encrypt-method',
  'password-policy-pam-nullok',
  'password-policy-complexity',
];

const strictLoginDefs = [
  '# hardened',
  'PASS_MAX_DAYS\t365',
  'PASS_MIN_DAYS 1',
  'PASS_WARN_AGE 14',
  'PASS_MIN_LEN 12',
  'ENCRYPT_METHOD YESCRYPT',
].join('\n');
const strictPassword = [
  'password\trequisite\t\t\tpam_pwquality.so retry=3',
  'password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok try_first_pass yescrypt',
  'password\trequisite\t\t\tpam_deny.so',
].join('\n');
const strictAuth = 'auth\t[success=1 default=ignore]\tpam_unix.so\nauth\trequisite\tpam_deny.so';
const strictPwquality = '# minlen = 8\nminlen = 14\nminclass = 4\n';

function policyFiles(overrides: Record<string, string | undefined> = {}): Map<string, string> {
  const base: Record<string, string | undefined> = {
    'etc/login.defs': strictLoginDefs,
    'etc/pam.d/common-password': strictPassword,
    'etc/pam.d/common-auth': strictAuth,
    'etc/security/pwquality.conf': strictPwquality,
    ...overrides,
  };
  return new Map(Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

describe('login.defs and PAM parsing', () => {
  it('keeps the last value of a repeated login.defs name, with its line', () => {
    const defs = parseLoginDefs(
      'PASS_MAX_DAYS 99999\n# PASS_MAX_DAYS 1\n  PASS_MAX_DAYS   90  \nMAIL_DIR "/var/mail"',
    );
    assert.deepEqual(defs.get('PASS_MAX_DAYS'), { value: '90', path: 'etc/login.defs', line: 3 });
    assert.equal(defs.get('MAIL_DIR')?.value, '/var/mail');
  });

  it('reads bracketed controls and arguments, optional modules, continuations and comments', () => {
    const lines = parsePam(
      [
        '# comment',
        '@include common-password',
        'password [success=1 default=ignore] /lib/x86_64-linux-gnu/security/pam_unix.so obscure sha512 # trailing',
        '-password optional pam_gnome_keyring.so',
        'auth required pam_exec.so \\',
        '   [quiet arg=with space] done',
      ].join('\n'),
      'etc/pam.d/test',
    );
    assert.deepEqual(lines, [
      {
        path: 'etc/pam.d/test',
        line: 3,
        type: 'password',
        control: '[success=1 default=ignore]',
        module: 'pam_unix.so',
        args: [
          ['obscure', undefined],
          ['sha512', undefined],
        ],
      },
      {
        path: 'etc/pam.d/test',
        line: 4,
        type: 'password',
        control: 'optional',
        module: 'pam_gnome_keyring.so',
        args: [],
      },
      {
        path: 'etc/pam.d/test',
        line: 5,
        type: 'auth',
        control: 'required',
        module: 'pam_exec.so',
        args: [
          ['quiet arg', 'with space'],
          ['done', undefined],
        ],
      },
    ]);
  });

  it('resolves pwquality settings: drop-ins in ASCII order, then pwquality.conf, then module arguments', () => {
    const policy = qualityPolicy(
      new Map([
        ['etc/pam.d/common-password', 'password requisite pam_pwquality.so retry=3 ocredit=-2'],
        ['etc/security/pwquality.conf.d/B.conf', 'minlen = 10\ndcredit = -1'],
        ['etc/security/pwquality.conf.d/a.conf', 'minlen = 20\nucredit=-1'],
        ['etc/security/pwquality.conf.d/notes.txt', 'minlen = 99'],
        ['etc/security/pwquality.conf', '# defaults\nucredit = -3\n'],
      ]),
    );
    assert.equal(policy.module?.module, 'pam_pwquality.so');
    assert.deepEqual(policy.settings, {
      // 'B.conf' sorts before 'a.conf' in ASCII, so a.conf's minlen wins; .txt files are not read.
      minlen: { value: 20, path: 'etc/security/pwquality.conf.d/a.conf', line: 1 },
      dcredit: { value: -1, path: 'etc/security/pwquality.conf.d/B.conf', line: 2 },
      ucredit: { value: -3, path: 'etc/security/pwquality.conf', line: 2 },
      lcredit: { value: 0 },
      ocredit: { value: -2, path: 'etc/pam.d/common-password', line: 1 },
      minclass: { value: 0 },
    });
  });

  it("gives pam_cracklib its own defaults and arguments, not pwquality.conf's", () => {
    const policy = qualityPolicy(
      new Map([
        ['etc/pam.d/system-auth', 'password requisite pam_cracklib.so try_first_pass retry=3 minlen=12'],
        ['etc/security/pwquality.conf', 'minlen = 20\nminclass = 4'],
      ]),
    );
    assert.equal(policy.settings.minlen.value, 12);
    assert.equal(policy.settings.minclass.value, 0);
    assert.equal(policy.settings.dcredit.value, 1);
  });
});

describe('passwordPolicyChecks on purpose-built files', () => {
  it('passes every check on a hardened configuration and lists each requirement met', () => {
    const results = passwordPolicyChecks(policyFiles());
    assert.deepEqual(
      results.map((result) => [result.id, result.result]),
      allIds.map((id) => [id, 'pass']),
    );
    assert.deepEqual(details(byId(results, 'password-policy-complexity')), [
      'a password quality module (pam_pwquality or pam_cracklib) in the password stack: met (pam_pwquality)',
      'minlen 14 or more: met (minlen = 14)',
      'four character classes: minclass 4, or dcredit, ucredit, lcredit and ocredit all -1 or less: met (minclass = 4, dcredit = 0, ucredit = 0, lcredit = 0, ocredit = 0)',
    ]);
    assert.deepEqual(byId(results, 'password-policy-complexity').evidence[1], {
      location: 'etc/security/pwquality.conf',
      line: 2,
      detail: 'minlen 14 or more: met (minlen = 14)',
    });
    assert.equal(
      byId(results, 'password-policy-complexity').current,
      'pam_pwquality: minlen = 14, minclass = 4, dcredit = 0, ucredit = 0, lcredit = 0, ocredit = 0',
    );
    assert.deepEqual(details(byId(results, 'password-policy-min-len')), [
      'PASS_MIN_LEN 8 or more: met (PASS_MIN_LEN 12, ignored by PAM)',
    ]);
  });

  it('accepts every credit at -1 in place of minclass 4', () => {
    const files = policyFiles({
      'etc/security/pwquality.conf': 'minlen = 15\ndcredit = -1\nucredit = -1\nlcredit = -1\nocredit = -1',
    });
    assert.equal(byId(passwordPolicyChecks(files), 'password-policy-complexity').result, 'pass');
    const three = policyFiles({
      'etc/security/pwquality.conf': 'minlen = 15\ndcredit = -1\nucredit = -1\nlcredit = -1',
    });
    assert.equal(byId(passwordPolicyChecks(three), 'password-policy-complexity').result, 'fail');
  });

  it('fails ageing, length and method settings that are weak or missing', () => {
    const results = passwordPolicyChecks(
      policyFiles({
        'etc/login.defs': 'PASS_MAX_DAYS 0\nPASS_MIN_LEN 5\nENCRYPT_METHOD MD5',
        'etc/pam.d/common-password': 'password required pam_unix.so sha512 md5',
      }),
    );
    assert.deepEqual(details(byId(results, 'password-policy-max-days')), [
      'PASS_MAX_DAYS between 1 and 365: not met (PASS_MAX_DAYS 0)',
    ]);
    assert.deepEqual(details(byId(results, 'password-policy-min-days')), [
      'PASS_MIN_DAYS 1 or more: not met (PASS_MIN_DAYS not set (no minimum))',
    ]);
    assert.equal(byId(results, 'password-policy-warn-age').result, 'fail');
    assert.equal(byId(results, 'password-policy-min-len').result, 'fail');
    // The last hash option is the one pam_unix uses.
    assert.deepEqual(details(byId(results, 'password-policy-encrypt-method')), [
      'ENCRYPT_METHOD SHA512 or YESCRYPT: not met (ENCRYPT_METHOD MD5)',
      'pam_unix hashes with yescrypt or sha512: not met (pam_unix md5)',
    ]);
    const unset = passwordPolicyChecks(policyFiles({ 'etc/login.defs': 'UMASK 022' }));
    assert.deepEqual(details(byId(unset, 'password-policy-encrypt-method')), [
      'ENCRYPT_METHOD SHA512 or YESCRYPT: not met (ENCRYPT_METHOD not set (shadow-utils falls back to DES, or MD5 with MD5_CRYPT_ENAB))',
      'pam_unix hashes with yescrypt or sha512: met (pam_unix yescrypt)',
    ]);
    assert.equal(byId(unset, 'password-policy-min-len').result, 'not_applicable');
  });

  it('fails a short minlen from module arguments, which override pwquality.conf', () => {
    const files = policyFiles({
      'etc/pam.d/common-password':
        'password requisite pam_pwquality.so retry=3 minlen=10\npassword required pam_unix.so',
    });
    const complexity = byId(passwordPolicyChecks(files), 'password-policy-complexity');
    assert.equal(complexity.result, 'fail');
    assert.deepEqual(complexity.evidence[1], {
      location: 'etc/pam.d/common-password',
      line: 1,
      detail: 'minlen 14 or more: not met (minlen = 10)',
    });
  });

  it('fails a pwquality.conf that no PAM module applies', () => {
    const files = policyFiles({ 'etc/pam.d/common-password': 'password required pam_unix.so yescrypt' });
    const complexity = byId(passwordPolicyChecks(files), 'password-policy-complexity');
    assert.equal(complexity.result, 'fail');
    assert.deepEqual(details(complexity), [
      'a password quality module (pam_pwquality or pam_cracklib) in the password stack: not met (none)',
      'minlen 14 or more: not met (minlen = 14, not enforced: no quality module)',
      'four character classes: minclass 4, or dcredit, ucredit, lcredit and ocredit all -1 or less: not met (minclass = 4, dcredit = 0, ucredit = 0, lcredit = 0, ocredit = 0, not enforced: no quality module)',
    ]);
  });

  it('fails nullok on any pam_unix line of the auth or password stacks', () => {
    const files = policyFiles({
      'etc/pam.d/system-auth': 'auth sufficient pam_unix.so nullok try_first_pass',
    });
    const nullok = byId(passwordPolicyChecks(files), 'password-policy-pam-nullok');
    assert.equal(nullok.result, 'fail');
    assert.deepEqual(nullok.evidence, [
      {
        location: 'etc/pam.d/common-auth',
        line: 1,
        detail: 'pam_unix (auth) without nullok: met (pam_unix without nullok in auth)',
      },
      {
        location: 'etc/pam.d/common-password',
        line: 2,
        detail: 'pam_unix (password) without nullok: met (pam_unix without nullok in password)',
      },
      {
        location: 'etc/pam.d/system-auth',
        line: 1,
        detail: 'pam_unix (auth) without nullok: not met (pam_unix nullok in auth)',
      },
    ]);
  });

  it('is not applicable throughout in an image without login.defs, PAM or pwquality', () => {
    const results = passwordPolicyChecks(new Map([['etc/passwd', 'root:x:0:0::/root:/bin/sh']]));
    assert.deepEqual(
      results.map((result) => [result.id, result.result]),
      allIds.map((id) => [id, 'not_applicable']),
    );
  });
});

describe('passwordPolicyChecks on a real Debian bookworm root filesystem', () => {
  it('finds the stock minbase policy: no expiry, no minimum age, nullok, no quality module; strong hashing', async () => {
    const root = await debianRootfs();
    const files = new Map<string, string>();
    for (const path of ['etc/login.defs', 'etc/pam.d/common-password', 'etc/pam.d/common-auth']) {
      files.set(path, await readFile(join(root, path), 'utf8'));
    }
    const results = passwordPolicyChecks(files);
    assert.deepEqual(
      results.map((result) => [result.id, result.result, result.current]),
      [
        ['password-policy-max-days', 'fail', 'PASS_MAX_DAYS 99999'],
        ['password-policy-min-days', 'fail', 'PASS_MIN_DAYS 0'],
        ['password-policy-warn-age', 'pass', 'PASS_WARN_AGE 7'],
        [
          'password-policy-min-len',
          'not_applicable',
          'PASS_MIN_LEN not set; passwords change through PAM, which ignores it',
        ],
        ['password-policy-encrypt-method', 'pass', 'ENCRYPT_METHOD SHA512; pam_unix yescrypt'],
        [
          'password-policy-pam-nullok',
          'fail',
          'pam_unix nullok in auth; pam_unix without nullok in password',
        ],
        ['password-policy-complexity', 'fail', 'no pam_pwquality or pam_cracklib in the password stack'],
      ],
    );
    // Debian's pam_unix password line ('obscure yescrypt') is where the hashing requirement is met.
    const method = byId(results, 'password-policy-encrypt-method');
    assert.equal(method.evidence[1]?.location, 'etc/pam.d/common-password');
    assert.match(
      (await readFile(join(root, 'etc/pam.d/common-password'), 'utf8')).split('\n')[
        (method.evidence[1]?.line ?? 0) - 1
      ] ?? '',
      /pam_unix\.so obscure yescrypt/,
    );
  });
});
