import type { ContentRule, FileRule } from '../rule.ts';
import { contentRule } from './define.ts';

/**
 * Credential files recognised by their name (and a line of content). The keywords of these rules
 * are checked only in files whose path matches, so they may be plain (`:`, `password`).
 */
export const credentialFileRules: readonly ContentRule[] = [
  contentRule({
    id: 'git-credentials',
    title: 'Git credential store entry',
    severity: 'high',
    category: 'credential-file',
    keywords: ['://'],
    path: /(?:^|\/)\.git-credentials$/,
    wholeFile: true,
    pattern: /[a-z][a-z0-9+.-]*:\/\/[^:@\s/]+:(?<secret>[^@\s/]+)@/,
    formats: 'git credential-store file (~/.git-credentials): https://user:token@host, one per line',
  }),
  contentRule({
    id: 'npmrc-auth-token',
    title: 'npm registry credentials in .npmrc',
    severity: 'high',
    category: 'credential-file',
    keywords: ['_auth', '_password'],
    path: /(?:^|\/)\.?npmrc$/,
    wholeFile: true,
    pattern: /(?:_authToken|_auth|_password)\s*=\s*["']?(?<secret>[^\s"'$]{8,})/,
    formats: '.npmrc: //registry/:_authToken=TOKEN, _auth=BASE64(user:password) or _password=BASE64',
  }),
  contentRule({
    id: 'pypirc-password',
    title: 'Package index password in .pypirc',
    severity: 'high',
    category: 'credential-file',
    keywords: ['password'],
    path: /(?:^|\/)\.pypirc$/,
    wholeFile: true,
    pattern: /^\s*password\s*[:=]\s*(?<secret>\S{4,})/m,
    formats: '.pypirc [pypi] section: password = TOKEN',
  }),
  contentRule({
    id: 'docker-config-auth',
    title: 'Registry credentials in a Docker config',
    severity: 'high',
    category: 'credential-file',
    keywords: ['"auth"'],
    path: /(?:^|\/)(?:\.docker\/config|containers\/auth|\.dockercfg)(?:\.json)?$/,
    wholeFile: true,
    pattern: /"auth"\s*:\s*"(?<secret>[A-Za-z0-9+/]{8,}={0,2})"/,
    formats: 'docker config.json / containers auth.json: "auths": {"host": {"auth": BASE64(user:password)}}',
  }),
  contentRule({
    id: 'pgpass-password',
    title: 'PostgreSQL password file entry',
    severity: 'high',
    category: 'credential-file',
    keywords: [':'],
    path: /(?:^|\/)\.pgpass$/,
    wholeFile: true,
    pattern: /^[^:#\s][^:\n]*:[^:\n]*:[^:\n]*:[^:\n]*:(?<secret>[^\n]{1,})$/m,
    formats: '.pgpass: hostname:port:database:username:password, one per line',
  }),
  contentRule({
    id: 'netrc-password',
    title: 'Password in .netrc',
    severity: 'high',
    category: 'credential-file',
    keywords: ['password'],
    path: /(?:^|\/)[._]netrc$/,
    wholeFile: true,
    pattern: /\bpassword\s+(?<secret>\S+)/,
    formats: '.netrc: machine HOST login USER password SECRET',
  }),
  contentRule({
    id: 's3cfg-secret-key',
    title: 'S3 secret key in .s3cfg',
    severity: 'critical',
    category: 'credential-file',
    keywords: ['secret_key'],
    path: /(?:^|\/)\.s3cfg$/,
    wholeFile: true,
    pattern: /^\s*secret_key\s*=\s*(?<secret>\S{8,})/m,
    formats: 's3cmd config (~/.s3cfg): secret_key = SECRET',
  }),
  contentRule({
    id: 'htpasswd-hash',
    title: 'Password hash in an htpasswd file',
    severity: 'medium',
    category: 'credential-file',
    keywords: [':'],
    path: /(?:^|\/)\.?htpasswd[^/]*$/,
    wholeFile: true,
    pattern: /^[^:#\s]+:(?<secret>\$(?:apr1|2[abxy]|5|6|y)\$\S{8,}|\{SHA\}[A-Za-z0-9+/]{27}=)/m,
    formats: 'htpasswd: user:$apr1$..., user:$2y$..., user:{SHA}base64',
  }),
];

/** Whether a buffer starts like a DER PKCS#12 PFX: SEQUENCE { INTEGER 3, ... } (RFC 7292 section 4). */
export function looksLikePkcs12(content: Buffer): boolean {
  if (content.length < 8 || content[0] !== 0x30) return false;
  const lengthByte = content[1] ?? 0;
  const header = lengthByte <= 0x80 ? 2 : 2 + (lengthByte & 0x7f);
  return content[header] === 0x02 && content[header + 1] === 0x01 && content[header + 2] === 0x03;
}

/**
 * Whether a Java keystore holds a private (or, JCEKS, a secret) key entry: a truststore of
 * certificates alone (cacerts) is not a secret. Format: magic 0xFEEDFEED (JKS) or 0xCECECECE
 * (JCEKS), version 1 or 2, entry count, then entries of tag 1 (private key), 2 (trusted
 * certificate) or 3 (JCEKS secret key). Certificates are skipped to reach later entries.
 */
export function javaKeystoreHasKey(content: Buffer): boolean {
  if (looksLikePkcs12(content)) return true;
  if (content.length < 12) return false;
  const magic = content.readUInt32BE(0);
  if (magic !== 0xfeedfeed && magic !== 0xcececece) return false;
  const version = content.readUInt32BE(4);
  const count = content.readUInt32BE(8);
  let at = 12;
  const skipUtf = (): boolean => {
    if (at + 2 > content.length) return false;
    at += 2 + content.readUInt16BE(at);
    return at <= content.length;
  };
  for (let entry = 0; entry < count && at + 4 <= content.length; entry++) {
    const tag = content.readUInt32BE(at);
    at += 4;
    if (tag === 1 || (tag === 3 && magic === 0xcececece)) return true;
    if (tag !== 2) return false;
    if (!skipUtf()) return false;
    at += 8; // timestamp
    if (version === 2 && !skipUtf()) return false;
    if (at + 4 > content.length) return false;
    at += 4 + content.readUInt32BE(at);
  }
  return false;
}

/** Binary credential files, found by name and checked by their magic. */
export const binaryCredentialFileRules: readonly FileRule[] = [
  {
    kind: 'file',
    id: 'pkcs12-file',
    title: 'PKCS#12 key store (.p12, .pfx)',
    severity: 'high',
    category: 'credential-file',
    path: /\.(?:p12|pfx)$/i,
    detect: looksLikePkcs12,
    formats:
      'PKCS#12 (RFC 7292): DER SEQUENCE with version INTEGER 3; usually a private key with its certificate',
  },
  {
    kind: 'file',
    id: 'java-keystore-file',
    title: 'Java key store with a private key (.jks, .keystore, .jceks)',
    severity: 'high',
    category: 'credential-file',
    path: /\.(?:jks|keystore|jceks|bks)$/i,
    detect: javaKeystoreHasKey,
    formats:
      'JKS (magic FEEDFEED) or JCEKS (CECECECE) with a private or secret key entry, or a PKCS#12 key store',
  },
];
