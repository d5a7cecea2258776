/**
 * What a password field of passwd(5) or shadow(5) holds: nothing (anyone may log in), a lock
 * marker, or a crypt(3) hash of a known scheme. Hash formats follow crypt(5) as documented by
 * libxcrypt. Hashes are never shown whole: `masked` keeps the scheme, its parameters and at most
 * the first two characters of the salt.
 */

export type HashAlgorithm =
  | 'des'
  | 'bsdi-des'
  | 'md5crypt'
  | 'sun-md5'
  | 'nthash'
  | 'bcrypt'
  | 'bcrypt-legacy'
  | 'sha1crypt'
  | 'sha256crypt'
  | 'sha512crypt'
  | 'scrypt'
  | 'yescrypt'
  | 'gost-yescrypt'
  | 'unknown';

export interface PasswordHash {
  readonly algorithm: HashAlgorithm;
  /** Why the algorithm is too weak, when it is. */
  readonly weakness: string | undefined;
  /** The hash without any lock marker in front: the part two accounts share when they share a password. */
  readonly value: string;
  /** Scheme, parameters and at most two characters of the salt (`$6$rounds=5000$ab…`). */
  readonly masked: string;
}

export type PasswordField =
  | { readonly kind: 'empty' }
  /** `x` in passwd: the hash is in shadow. */
  | { readonly kind: 'shadowed' }
  /** `!`, `*`, `!!` (never set, Red Hat), `*LK*`: no password can match; a hash after `!` is kept. */
  | { readonly kind: 'locked'; readonly marker: string; readonly hash: PasswordHash | undefined }
  | { readonly kind: 'hash'; readonly hash: PasswordHash }
  /** Text that is no hash of any scheme: it matches no password, so the account is locked in effect. Never shown. */
  | { readonly kind: 'invalid' };

const weaknesses: Partial<Record<HashAlgorithm, string>> = {
  des: 'DES crypt: 8 characters of the password at most, 12-bit salt, brute-forced in hours',
  'bsdi-des': 'BSDi extended DES: a DES-based scheme, fast to brute-force',
  md5crypt: 'md5crypt: a fixed 1000 MD5 rounds, cracked at billions of guesses per second on GPUs',
  'sun-md5': 'Sun MD5: an MD5-based scheme, fast to brute-force',
  nthash: 'NT hash: unsalted MD4',
  'bcrypt-legacy':
    'bcrypt $2$/$2x$: the original prefix with undefined 8-bit handling, or the marker of crypt_blowfish hashes made with its sign-extension bug (CVE-2011-2483)',
};

const schemes: readonly (readonly [prefix: string, algorithm: HashAlgorithm])[] = [
  ['$1$', 'md5crypt'],
  ['$2a$', 'bcrypt'],
  ['$2b$', 'bcrypt'],
  ['$2y$', 'bcrypt'],
  ['$2x$', 'bcrypt-legacy'],
  ['$2$', 'bcrypt-legacy'],
  ['$3$', 'nthash'],
  ['$5$', 'sha256crypt'],
  ['$6$', 'sha512crypt'],
  ['$7$', 'scrypt'],
  ['$y$', 'yescrypt'],
  ['$gy$', 'gost-yescrypt'],
  ['$sha1$', 'sha1crypt'],
  ['$md5$', 'sun-md5'],
  ['$md5,', 'sun-md5'],
];

const cryptCharacters = /^[./0-9A-Za-z]+$/;

/** The first characters of a salt: two at most, and never more than half of it. */
function saltHint(salt: string): string {
  return salt.slice(0, Math.min(2, Math.floor(salt.length / 2)));
}

function maskModular(value: string): string {
  const segments = value.split('$');
  const last = segments.length - 1;
  if (value.startsWith('$2')) {
    // bcrypt: $2b$cost$ then 22 salt characters and the hash, with no separator between.
    return `${segments.slice(0, last).join('$')}$${saltHint((segments[last] ?? '').slice(0, 22))}…`;
  }
  // The salt is the last non-empty segment before the hash; what precedes it is the scheme and its parameters.
  let saltIndex = last - 1;
  while (saltIndex > 1 && segments[saltIndex] === '') saltIndex--;
  if (saltIndex <= 1) return `${segments.slice(0, 2).join('$')}$…`;
  return `${segments.slice(0, saltIndex).join('$')}$${saltHint(segments[saltIndex] ?? '')}…`;
}

/** The hash in a field that is neither empty nor a bare lock marker; undefined for anything else. */
export function parseHash(value: string): PasswordHash | undefined {
  const scheme = schemes.find(([prefix]) => value.startsWith(prefix));
  let algorithm: HashAlgorithm | undefined = scheme?.[1];
  let masked: string;
  if (algorithm) masked = maskModular(value);
  else if (value.startsWith('$')) {
    algorithm = 'unknown';
    masked = maskModular(value);
  } else if (value.length === 13 && cryptCharacters.test(value)) {
    algorithm = 'des';
    masked = `${saltHint(value.slice(0, 2))}…`;
  } else if (value.length === 20 && value.startsWith('_') && cryptCharacters.test(value.slice(1))) {
    algorithm = 'bsdi-des';
    masked = `${value.slice(0, 5)}${saltHint(value.slice(5, 9))}…`;
  } else return undefined;
  return { algorithm, weakness: weaknesses[algorithm], value, masked };
}

export function parsePasswordField(field: string): PasswordField {
  if (field === '') return { kind: 'empty' };
  if (field === 'x') return { kind: 'shadowed' };
  const marker = /^[!*]+(?:LK\*)?/.exec(field)?.[0] ?? '';
  const hash = parseHash(field.slice(marker.length));
  if (marker !== '') return { kind: 'locked', marker, hash };
  return hash ? { kind: 'hash', hash } : { kind: 'invalid' };
}

/** The hash of a field, locked or not. */
export function hashOf(field: PasswordField): PasswordHash | undefined {
  return field.kind === 'hash' || field.kind === 'locked' ? field.hash : undefined;
}
