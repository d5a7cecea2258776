import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gshadowPath, groupPath, passwdPath, shadowPath } from './accounts-files.ts';
import { loginDefsPath } from './password-policy-login-defs.ts';
import { pamAuthPaths, pamPasswordPaths } from './password-policy-pam.ts';
import { pwqualityDirectory, pwqualityPath } from './password-policy-quality.ts';
import { sshdConfigPath } from './sshd-config.ts';
import { filesInDirectory, numberedLines, systemFilePaths, systemFilePrefixes } from './system-files.ts';

describe('system files', () => {
  it('collects every file the account, password-policy and SSH checks read', () => {
    const read = [
      passwdPath,
      shadowPath,
      groupPath,
      gshadowPath,
      loginDefsPath,
      pwqualityPath,
      sshdConfigPath,
      ...pamPasswordPaths,
      ...pamAuthPaths,
    ];
    for (const path of read) assert.ok(systemFilePaths.includes(path), path);
    for (const directory of [pwqualityDirectory, 'etc/ssh/sshd_config.d']) {
      assert.ok(systemFilePrefixes.includes(`${directory}/`), directory);
    }
  });

  it('lists the files directly in a directory with a suffix, in byte order', () => {
    const files = new Map(
      ['d/b.conf', 'd/B.conf', 'd/a.conf', 'd/a.txt', 'd/sub/c.conf', 'dd/x.conf', 'd.conf'].map((path) => [
        path,
        '',
      ]),
    );
    assert.deepEqual(filesInDirectory(files, 'd', '.conf'), ['d/B.conf', 'd/a.conf', 'd/b.conf']);
    assert.deepEqual(filesInDirectory(files, 'd/', '.txt'), ['d/a.txt']);
  });

  it('numbers lines from 1 and drops carriage returns', () => {
    assert.deepEqual(numberedLines('a\r\nb\n'), [
      { line: 1, text: 'a' },
      { line: 2, text: 'b' },
      { line: 3, text: '' },
    ]);
  });
});
