import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { debianRootfs } from '../../../../../test/harness/debian-rootfs.ts';
import { accountChecks } from './accounts-checks.ts';
import type { BaselineCheckResult } from './check-result.ts';
import type { SystemFiles } from './system-files.ts';

const now = new Date('2025-06-01T12:00:00Z');
/** 2025-01-01 in days since the epoch, as shadow stores dates. */
const day = 20089;

function mkpasswd(method: string, password: string): string {
  return execFileSync('mkpasswd', ['-m', method, password], { encoding: 'utf8' }).trim();
}

const cleanPasswd = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'app:x:1000:1000:App:/home/app:/bin/sh',
].join('\n');
const cleanShadow = (appHash: string) =>
  [`root:*:${day}:0:99999:7:::`, `daemon:*:${day}:0:99999:7:::`, `app:${appHash}:${day}:1:90:7:::`].join(
    '\n',
  );
const cleanGroup = ['root:x:0:', 'daemon:x:1:', 'sudo:x:27:', 'shadow:x:42:', 'app:x:1000:'].join('\n');
const cleanGshadow = ['root:*::', 'daemon:*::', 'sudo:*::', 'shadow:*::', 'app:!::'].join('\n');

function accountFiles(overrides: Record<string, string | undefined> = {}): SystemFiles {
  const base: Record<string, string | undefined> = {
    'etc/passwd': cleanPasswd,
    'etc/shadow': cleanShadow(mkpasswd('yescrypt', 'a long and strong passphrase')),
    'etc/group': cleanGroup,
    'etc/gshadow': cleanGshadow,
    ...overrides,
  };
  return new Map(Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function byId(results: readonly BaselineCheckResult[], id: string): BaselineCheckResult {
  const found = results.find((result) => result.id === id);
  assert.ok(found, `no result ${id}`);
  return found;
}

function outcomes(results: readonly BaselineCheckResult[]): Record<string, string> {
  return Object.fromEntries(results.map((result) => [result.id, result.result]));
}

const allIds = [
  'accounts-duplicate-user-names',
  'accounts-duplicate-uids',
  'accounts-duplicate-group-names',
  'accounts-duplicate-gids',
  'accounts-uid0-besides-root',
  'accounts-root-primary-group',
  'accounts-legacy-nis-entries',
  'accounts-primary-group-missing',
  'accounts-privileged-group-members',
  'accounts-passwd-shadow-mismatch',
  'accounts-shadowed-passwords',
  'accounts-empty-passwords',
  'accounts-weak-password-hashes',
  'accounts-shared-password-hashes',
  'accounts-password-ageing',
  'accounts-password-change-in-future',
];

describe('accountChecks on purpose-built account files', () => {
  it('passes every check on a clean set of files, one result per check', () => {
    const results = accountChecks(accountFiles(), now);
    assert.deepEqual(
      results.map((result) => result.id),
      allIds,
    );
    assert.deepEqual(outcomes(results), Object.fromEntries(allIds.map((id) => [id, 'pass'])));
    for (const result of results) {
      assert.equal(result.area, 'accounts');
      assert.ok(result.remediation.length > 0 && result.standard.length > 0 && result.title.length > 0);
    }
  });

  it('is not applicable throughout when the image has no account files', () => {
    const results = accountChecks(new Map(), now);
    assert.equal(results.length, allIds.length);
    assert.ok(results.every((result) => result.result === 'not_applicable'));
    assert.equal(byId(results, 'accounts-uid0-besides-root').current, 'no etc/passwd');
  });

  it('finds repeated user names, UIDs, group names and GIDs with their lines', () => {
    const results = accountChecks(
      accountFiles({
        'etc/passwd': `${cleanPasswd}\napp:x:1001:1000::/:/bin/sh\nbackup:x:1000:1000::/:/bin/sh`,
        'etc/shadow': `${cleanShadow('*')}\napp:*:${day}:0:99999:7:::\nbackup:*:${day}:0:99999:7:::`,
        'etc/group': `${cleanGroup}\napp:x:1001:\ntools:x:27:`,
        'etc/gshadow': `${cleanGshadow}\napp:!::\ntools:!::`,
      }),
      now,
    );
    assert.deepEqual(byId(results, 'accounts-duplicate-user-names').evidence, [
      { location: 'etc/passwd', line: 4, detail: 'app (also line 3)' },
      { location: 'etc/shadow', line: 4, detail: 'app (also line 3)' },
    ]);
    assert.deepEqual(byId(results, 'accounts-duplicate-uids').evidence, [
      { location: 'etc/passwd', line: 5, detail: 'backup has UID 1000, as app has' },
    ]);
    assert.deepEqual(byId(results, 'accounts-duplicate-group-names').evidence, [
      { location: 'etc/group', line: 6, detail: 'app (also line 5)' },
      { location: 'etc/gshadow', line: 6, detail: 'app (also line 5)' },
    ]);
    assert.deepEqual(byId(results, 'accounts-duplicate-gids').evidence, [
      { location: 'etc/group', line: 7, detail: 'tools has GID 27, as sudo has' },
    ]);
    for (const id of allIds.slice(0, 4)) assert.equal(byId(results, id).result, 'fail', id);
  });

  it('finds a second UID 0 account and a root whose primary group is not 0', () => {
    const results = accountChecks(
      accountFiles({
        'etc/passwd': cleanPasswd.replace('root:x:0:0:', 'root:x:0:1000:') + '\ntoor:x:0:0::/root:/bin/sh',
        'etc/shadow': `${cleanShadow('*')}\ntoor:*:${day}:0:99999:7:::`,
      }),
      now,
    );
    const uid0 = byId(results, 'accounts-uid0-besides-root');
    assert.equal(uid0.result, 'fail');
    assert.equal(uid0.severity, 'critical');
    assert.deepEqual(uid0.evidence, [{ location: 'etc/passwd', line: 4, detail: 'toor has UID 0' }]);
    const rootGroup = byId(results, 'accounts-root-primary-group');
    assert.equal(rootGroup.result, 'fail');
    assert.deepEqual(rootGroup.evidence, [
      { location: 'etc/passwd', line: 1, detail: 'root has primary GID 1000' },
    ]);
  });

  it("reports legacy '+' and '-' NIS entries in every database and leaves them out of other checks", () => {
    const results = accountChecks(
      accountFiles({
        'etc/passwd': `${cleanPasswd}\n+@admins::::::\n-mallory::::::\n+::::::`,
        'etc/shadow': `${cleanShadow('*')}\n+::::::::`,
        'etc/group': `${cleanGroup}\n+:::`,
      }),
      now,
    );
    assert.deepEqual(byId(results, 'accounts-legacy-nis-entries').evidence, [
      { location: 'etc/passwd', line: 4, detail: '+@admins' },
      { location: 'etc/passwd', line: 5, detail: '-mallory' },
      { location: 'etc/passwd', line: 6, detail: '+ (all)' },
      { location: 'etc/shadow', line: 4, detail: '+ (all)' },
      { location: 'etc/group', line: 6, detail: '+ (all)' },
    ]);
    // An empty password field on a NIS line is no local account's empty password.
    assert.equal(byId(results, 'accounts-empty-passwords').result, 'pass');
    assert.equal(byId(results, 'accounts-passwd-shadow-mismatch').result, 'pass');
    assert.equal(byId(results, 'accounts-primary-group-missing').result, 'pass');
  });

  it('finds primary GIDs that are no group, and is not applicable without etc/group', () => {
    const files = accountFiles({ 'etc/passwd': `${cleanPasswd}\nghost:x:1002:4242::/:/bin/sh` });
    const missing = byId(accountChecks(files, now), 'accounts-primary-group-missing');
    assert.equal(missing.result, 'fail');
    assert.deepEqual(missing.evidence, [
      { location: 'etc/passwd', line: 4, detail: 'ghost: GID 4242 is in no group' },
    ]);
    const noGroup = byId(
      accountChecks(accountFiles({ 'etc/group': undefined }), now),
      'accounts-primary-group-missing',
    );
    assert.equal(noGroup.result, 'not_applicable');
  });

  it('finds non-root members of privileged groups: listed, in gshadow only, or by primary group', () => {
    const results = accountChecks(
      accountFiles({
        'etc/passwd': `${cleanPasswd}\nops:x:1001:42::/:/bin/sh`,
        'etc/shadow': `${cleanShadow('*')}\nops:*:${day}:0:99999:7:::`,
        'etc/group': cleanGroup.replace('sudo:x:27:', 'sudo:x:27:root,app') + '\ndocker:x:999:app',
        'etc/gshadow': cleanGshadow.replace('shadow:*::', 'shadow:*::daemon'),
      }),
      now,
    );
    const members = byId(results, 'accounts-privileged-group-members');
    assert.equal(members.result, 'fail');
    assert.deepEqual(members.evidence, [
      { location: 'etc/group', line: 3, detail: 'app is a member of sudo' },
      { location: 'etc/gshadow', line: 4, detail: 'daemon is a member of shadow' },
      { location: 'etc/passwd', line: 4, detail: 'ops has shadow as primary group' },
      { location: 'etc/group', line: 6, detail: 'app is a member of docker' },
    ]);
  });

  it('exempts the traditional sync, shutdown, halt and operator accounts from the root group, as CIS does', () => {
    const results = accountChecks(
      accountFiles({
        'etc/passwd': `${cleanPasswd}\nsync:x:5:0:sync:/sbin:/bin/sync\nbackdoor:x:1001:0::/:/bin/sh`,
        'etc/shadow': `${cleanShadow('*')}\nsync:*:${day}:0:99999:7:::\nbackdoor:*:${day}:0:99999:7:::`,
      }),
      now,
    );
    assert.deepEqual(byId(results, 'accounts-privileged-group-members').evidence, [
      { location: 'etc/passwd', line: 5, detail: 'backdoor has root as primary group' },
    ]);
  });

  it('finds accounts in only one of passwd and shadow', () => {
    const results = accountChecks(
      accountFiles({
        'etc/passwd': `${cleanPasswd}\nnew:x:1001:1000::/:/bin/sh`,
        'etc/shadow': `${cleanShadow('*')}\nold:*:${day}:0:99999:7:::`,
      }),
      now,
    );
    assert.deepEqual(byId(results, 'accounts-passwd-shadow-mismatch').evidence, [
      { location: 'etc/passwd', line: 4, detail: 'new has no etc/shadow entry' },
      { location: 'etc/shadow', line: 4, detail: 'old has no etc/passwd entry' },
    ]);
    const withoutShadow = accountChecks(accountFiles({ 'etc/shadow': undefined }), now);
    assert.equal(byId(withoutShadow, 'accounts-passwd-shadow-mismatch').result, 'not_applicable');
  });

  it('finds empty password fields in shadow or passwd, and counts locked accounts apart', () => {
    const results = accountChecks(
      accountFiles({
        'etc/passwd': `${cleanPasswd}\nguest::1001:1000::/:/bin/sh`,
        'etc/shadow': cleanShadow('').replace('daemon:*:', 'daemon:!!:') + `\nguest:*:${day}:0:99999:7:::`,
      }),
      now,
    );
    const empty = byId(results, 'accounts-empty-passwords');
    assert.equal(empty.result, 'fail');
    assert.equal(empty.severity, 'critical');
    assert.deepEqual(empty.evidence, [
      { location: 'etc/shadow', line: 3, detail: 'app: empty password field' },
      // passwd's own field counts when it is not 'x': pam_unix never looks at shadow then.
      { location: 'etc/passwd', line: 4, detail: 'guest: empty password field' },
    ]);
    assert.deepEqual(byId(results, 'accounts-shadowed-passwords').evidence, [
      { location: 'etc/passwd', line: 4, detail: 'guest has an empty password field' },
    ]);
    const clean = byId(accountChecks(accountFiles(), now), 'accounts-empty-passwords');
    assert.equal(clean.current, 'no empty password fields; 2 locked, 1 with a password hash');
  });

  it('finds weak hashes (DES, MD5) masked, locked ones too, and passes yescrypt and sha512crypt', () => {
    const des = mkpasswd('descrypt', 'secret');
    const md5 = mkpasswd('md5crypt', 'secret');
    const lockedMd5 = mkpasswd('md5crypt', 'other');
    const results = accountChecks(
      accountFiles({
        'etc/passwd': `${cleanPasswd}\nold:${des}:1001:1000::/:/bin/sh\nlocked:x:1002:1000::/:/bin/sh`,
        'etc/shadow': `${cleanShadow(md5)}\nlocked:!${lockedMd5}:${day}:0:90:7:::`,
      }),
      now,
    );
    const weak = byId(results, 'accounts-weak-password-hashes');
    assert.equal(weak.result, 'fail');
    assert.deepEqual(
      weak.evidence.map((item) => [item.location, item.line, item.detail.split(' — ')[0]]),
      [
        ['etc/shadow', 3, `app: $1$${md5.slice(3, 5)}…`],
        ['etc/passwd', 4, `old: ${des.slice(0, 1)}…`],
        ['etc/shadow', 4, `locked (locked): $1$${lockedMd5.slice(3, 5)}…`],
      ],
    );
    for (const item of weak.evidence) {
      assert.ok(!item.detail.includes(md5.slice(12)) && !item.detail.includes(des.slice(2)), item.detail);
    }
    const strong = accountChecks(
      accountFiles({ 'etc/shadow': cleanShadow(mkpasswd('sha512crypt', 'x')) }),
      now,
    );
    assert.equal(byId(strong, 'accounts-weak-password-hashes').result, 'pass');
  });

  it('finds accounts sharing one hash, and not two hashes of the same password', () => {
    const hash = mkpasswd('sha512crypt', 'shared');
    const results = accountChecks(
      accountFiles({
        'etc/passwd': `${cleanPasswd}\ntwin:x:1001:1000::/:/bin/sh\nother:x:1002:1000::/:/bin/sh`,
        'etc/shadow': `${cleanShadow(hash)}\ntwin:!${hash}:${day}:1:90:7:::\nother:${mkpasswd('sha512crypt', 'shared')}:${day}:1:90:7:::`,
      }),
      now,
    );
    const shared = byId(results, 'accounts-shared-password-hashes');
    assert.equal(shared.result, 'fail');
    assert.deepEqual(shared.evidence, [
      { location: 'etc/shadow', line: 3, detail: `app: ${hash.slice(0, 5)}… shared by app, twin` },
      { location: 'etc/shadow', line: 4, detail: `twin (locked): ${hash.slice(0, 5)}… shared by app, twin` },
    ]);
  });

  it('finds usable passwords without a maximum age, and ignores locked accounts', () => {
    const hash = mkpasswd('yescrypt', 'long enough passphrase');
    const results = accountChecks(
      accountFiles({
        'etc/passwd': `${cleanPasswd}\nlegacy:${mkpasswd('sha512crypt', 'p')}:1001:1000::/:/bin/sh`,
        'etc/shadow': cleanShadow(hash).replace(':1:90:7:::', ':0:99999:7:::'),
      }),
      now,
    );
    const ageing = byId(results, 'accounts-password-ageing');
    assert.equal(ageing.result, 'fail');
    assert.deepEqual(ageing.evidence, [
      { location: 'etc/shadow', line: 3, detail: 'app: maximum age 99999 (never expires)' },
      {
        location: 'etc/passwd',
        line: 4,
        detail: 'legacy: password in etc/passwd, which has no ageing fields',
      },
    ]);
    const emptyMax = accountChecks(accountFiles({ 'etc/shadow': `app:${hash}:${day}:0::7:::` }), now);
    assert.equal(
      byId(emptyMax, 'accounts-password-ageing').evidence[0]?.detail,
      'app: maximum age empty (never expires)',
    );
    assert.equal(byId(accountChecks(accountFiles(), now), 'accounts-password-ageing').result, 'pass');
  });

  it('finds last change dates after today', () => {
    const shadow = cleanShadow('*').replace(`daemon:*:${day}:`, 'daemon:*:20241:');
    const results = accountChecks(accountFiles({ 'etc/shadow': shadow }), now);
    const future = byId(results, 'accounts-password-change-in-future');
    assert.equal(future.result, 'fail');
    assert.deepEqual(future.evidence, [
      { location: 'etc/shadow', line: 2, detail: 'daemon: last changed 2025-06-02 (day 20241)' },
    ]);
    // The same file on that day is fine.
    const later = accountChecks(accountFiles({ 'etc/shadow': shadow }), new Date('2025-06-02T00:00:00Z'));
    assert.equal(byId(later, 'accounts-password-change-in-future').result, 'pass');
  });
});

async function readEtc(root: string, names: readonly string[]): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of names) {
    const text = await readFile(join(root, 'etc', name), 'utf8').catch(() => undefined);
    if (text !== undefined) files.set(`etc/${name}`, text);
  }
  return files;
}

const databases = ['passwd', 'shadow', 'group', 'gshadow'];

describe('accountChecks on a real Debian bookworm root filesystem', () => {
  it('passes every account check on a stock minbase: 18 locked system accounts, no members in admin groups', async () => {
    const files = await readEtc(await debianRootfs(), databases);
    assert.equal(files.size, 4);
    const results = accountChecks(files, new Date());
    assert.deepEqual(outcomes(results), Object.fromEntries(allIds.map((id) => [id, 'pass'])));
    assert.equal(
      byId(results, 'accounts-empty-passwords').current,
      'no empty password fields; 18 locked, 0 with a password hash',
    );
    assert.equal(byId(results, 'accounts-password-ageing').current, 'no account has a usable password');
    assert.equal(
      byId(results, 'accounts-privileged-group-members').current,
      'no accounts besides root in root, adm, disk, sudo, shadow',
    );
  });

  it("finds what shadow-utils' own useradd makes of an MD5 password, sudo membership and no expiry", async (t) => {
    const scratch = await mkdtemp(join(tmpdir(), 'drydock-accounts-'));
    t.after(() => rm(scratch, { recursive: true, force: true }));
    await mkdir(join(scratch, 'etc'));
    const root = await debianRootfs();
    for (const name of [...databases, 'login.defs'])
      await copyFile(join(root, 'etc', name), join(scratch, 'etc', name));
    const md5 = mkpasswd('md5crypt', 'hunter2');
    const useradd = (...args: string[]) => execFileSync('useradd', ['--prefix', scratch, ...args]);
    useradd('--password', md5, '--groups', 'sudo', '--no-create-home', 'alice');
    useradd('--password', md5, '--uid', '0', '--non-unique', '--no-create-home', 'toor');

    const results = accountChecks(await readEtc(scratch, databases), new Date());
    assert.deepEqual(
      results.filter((result) => result.result === 'fail').map((result) => result.id),
      [
        'accounts-duplicate-uids',
        'accounts-uid0-besides-root',
        'accounts-privileged-group-members',
        'accounts-weak-password-hashes',
        'accounts-shared-password-hashes',
        'accounts-password-ageing',
      ],
    );
    assert.deepEqual(
      byId(results, 'accounts-privileged-group-members').evidence.map((item) => item.detail),
      ['alice is a member of sudo'],
    );
    assert.deepEqual(
      byId(results, 'accounts-weak-password-hashes').evidence.map((item) => [item.location, item.line]),
      [
        ['etc/shadow', 19],
        ['etc/shadow', 20],
      ],
    );
    // useradd copies PASS_MAX_DAYS 99999 from Debian's login.defs into each new entry.
    assert.deepEqual(
      byId(results, 'accounts-password-ageing').evidence.map((item) => item.detail),
      ['alice: maximum age 99999 (never expires)', 'toor: maximum age 99999 (never expires)'],
    );
  });
});
