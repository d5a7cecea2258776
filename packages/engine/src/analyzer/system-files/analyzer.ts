import type { EachFileAnalyzer } from '../contract.ts';

/** Account, password-policy and SSH server files the baseline checks read, by exact path. */
export const systemFilePaths: readonly string[] = [
  'etc/passwd',
  'etc/shadow',
  'etc/group',
  'etc/gshadow',
  'etc/login.defs',
  'etc/security/pwquality.conf',
  'etc/pam.d/common-password',
  'etc/pam.d/common-auth',
  'etc/pam.d/system-auth',
  'etc/pam.d/password-auth',
  'etc/ssh/sshd_config',
];

/** Directories whose files are read too (drop-in configuration). */
export const systemFilePrefixes: readonly string[] = [
  'etc/security/pwquality.conf.d/',
  'etc/ssh/sshd_config.d/',
];

/** Larger files are not configuration an account check should read (and are reported as too large). */
const maxSystemFileBytes = 4 * 1024 * 1024;

/**
 * Collects the text of the system files as they are in each layer; the scan keeps the final
 * filesystem's copy of each. The checks parse them, so a parser change needs no new walk.
 */
export const systemFilesAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'system-files',
  version: 1,
  wants: { paths: systemFilePaths, prefixes: systemFilePrefixes, maxBytes: maxSystemFileBytes },
  analyze(file, context) {
    return [
      { kind: 'system-file', layer: context.layer, path: file.path, content: file.content.toString('utf8') },
    ];
  },
};
