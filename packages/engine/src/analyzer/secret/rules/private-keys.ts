import type { ContentRule } from '../rule.ts';
import { contentRule, pemBlock } from './define.ts';

/**
 * Private keys in text form. PEM blocks span many lines, so each rule lets its pattern reach
 * `spanLines` lines past the BEGIN line; an RSA 8192-bit key is about 100 lines, a PGP key with
 * subkeys a few hundred. Bodies shorter than 64 characters (`...`, `<key>`) are not keys.
 */
const pemSpan = 200;

export const privateKeyRules: readonly ContentRule[] = [
  contentRule({
    id: 'rsa-private-key',
    title: 'RSA private key',
    severity: 'critical',
    category: 'private-key',
    keywords: ['-----begin rsa private key-----'],
    pattern: pemBlock('RSA PRIVATE KEY'),
    spanLines: pemSpan,
    formats: 'PKCS#1 PEM: -----BEGIN RSA PRIVATE KEY----- base64 -----END RSA PRIVATE KEY-----',
  }),
  contentRule({
    id: 'ec-private-key',
    title: 'EC private key',
    severity: 'critical',
    category: 'private-key',
    keywords: ['-----begin ec private key-----'],
    pattern: pemBlock('EC PRIVATE KEY'),
    spanLines: pemSpan,
    formats: 'SEC 1 PEM: -----BEGIN EC PRIVATE KEY----- base64 -----END EC PRIVATE KEY-----',
  }),
  contentRule({
    id: 'dsa-private-key',
    title: 'DSA private key',
    severity: 'critical',
    category: 'private-key',
    keywords: ['-----begin dsa private key-----'],
    pattern: pemBlock('DSA PRIVATE KEY'),
    spanLines: pemSpan,
    formats: 'OpenSSL DSA PEM: -----BEGIN DSA PRIVATE KEY----- base64 -----END DSA PRIVATE KEY-----',
  }),
  contentRule({
    id: 'openssh-private-key',
    title: 'OpenSSH private key',
    severity: 'critical',
    category: 'private-key',
    keywords: ['-----begin openssh private key-----'],
    pattern: pemBlock('OPENSSH PRIVATE KEY'),
    spanLines: pemSpan,
    formats: 'openssh-key-v1: -----BEGIN OPENSSH PRIVATE KEY----- base64 -----END OPENSSH PRIVATE KEY-----',
  }),
  contentRule({
    id: 'pgp-private-key-block',
    title: 'PGP private key block',
    severity: 'critical',
    category: 'private-key',
    keywords: ['-----begin pgp private key block-----'],
    pattern: pemBlock('PGP PRIVATE KEY BLOCK'),
    spanLines: 1000,
    formats:
      'OpenPGP armor (RFC 4880 section 6.2): -----BEGIN PGP PRIVATE KEY BLOCK----- ... -----END PGP PRIVATE KEY BLOCK-----',
  }),
  contentRule({
    id: 'pkcs8-private-key',
    title: 'PKCS#8 private key',
    severity: 'critical',
    category: 'private-key',
    keywords: ['-----begin private key-----'],
    pattern: pemBlock('PRIVATE KEY'),
    spanLines: pemSpan,
    formats: 'PKCS#8 PEM (RFC 5958): -----BEGIN PRIVATE KEY----- base64 -----END PRIVATE KEY-----',
  }),
  contentRule({
    id: 'pkcs8-encrypted-private-key',
    title: 'Encrypted PKCS#8 private key',
    severity: 'high',
    category: 'private-key',
    keywords: ['-----begin encrypted private key-----'],
    pattern: pemBlock('ENCRYPTED PRIVATE KEY'),
    spanLines: pemSpan,
    formats:
      'PKCS#8 EncryptedPrivateKeyInfo PEM: -----BEGIN ENCRYPTED PRIVATE KEY----- base64 -----END ENCRYPTED PRIVATE KEY-----',
  }),
  contentRule({
    id: 'putty-private-key',
    title: 'PuTTY private key',
    severity: 'critical',
    category: 'private-key',
    keywords: ['putty-user-key-file-'],
    pattern:
      /PuTTY-User-Key-File-[23]: [^\r\n]+[\s\S]{0,4000}?Private-Lines: *\d+\r?\n(?<secret>[A-Za-z0-9+/=\r\n]{40,})/,
    spanLines: 80,
    formats: 'PuTTY .ppk v2/v3: PuTTY-User-Key-File-N header, Private-Lines: N, base64 lines',
  }),
  contentRule({
    id: 'ssh2-private-key',
    title: 'SSH2 (SSH.COM) private key',
    severity: 'critical',
    category: 'private-key',
    keywords: ['---- begin ssh2 encrypted private key ----'],
    pattern:
      /---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----(?<secret>[\s\S]{64,}?)---- END SSH2 ENCRYPTED PRIVATE KEY ----/,
    spanLines: pemSpan,
    formats:
      'SSH.COM key file: ---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ---- ... ---- END SSH2 ENCRYPTED PRIVATE KEY ----',
  }),
  contentRule({
    id: 'age-secret-key',
    title: 'age secret key',
    severity: 'critical',
    category: 'private-key',
    keywords: ['age-secret-key-1'],
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})(?![A-Za-z0-9])/,
    formats: 'age X25519 identity: AGE-SECRET-KEY-1 + 58 upper-case bech32 characters',
  }),
];
