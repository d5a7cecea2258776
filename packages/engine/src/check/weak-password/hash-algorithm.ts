/**
 * Which crypt(3) scheme a shadow hash uses, and what one guess against it costs. The cost is in
 * md5crypt guesses (about 2 ms of one core here, measured with the implementations this check
 * uses), so a budget can be shared between cheap and slow hashes by the work they take.
 */
import { parseYescryptSetting } from './yescrypt.ts';

export type WeakPasswordAlgorithm =
  'des' | 'md5crypt' | 'sha256crypt' | 'sha512crypt' | 'bcrypt' | 'yescrypt';

export type HashKind =
  | { readonly supported: true; readonly algorithm: WeakPasswordAlgorithm; readonly cost: number }
  | { readonly supported: false; readonly algorithm: string };

const cryptCharacters = /^[./0-9A-Za-z]+$/;

/** crypt ids this check recognises but cannot verify, by their `$id$` prefix. */
const unsupportedIds: Readonly<Record<string, string>> = {
  '3': 'nthash',
  '7': 'scrypt',
  gy: 'gost-yescrypt',
  sha1: 'sha1crypt',
  md5: 'sunmd5',
  '2x': 'bcrypt-2x',
};

/** sha-crypt's rounds: 5000 unless `rounds=N$` says otherwise, clamped as glibc does. */
function shaCryptRounds(hash: string): number {
  const match = /^\$[56]\$rounds=(\d+)\$/.exec(hash);
  if (match?.[1] === undefined) return 5000;
  return Math.min(999_999_999, Math.max(1000, Number(match[1])));
}

function yescryptCost(hash: string): number {
  const { N, r, t, flags } = parseYescryptSetting(hash).params;
  // The second loop runs N/3 times by default (RW), 2N/3 at t = 1, N·(t-1) above; scrypt: N.
  const readWrite = (flags & 0x002) !== 0;
  const secondLoop = readWrite ? (t === 0 ? 1 / 3 : t === 1 ? 2 / 3 : t - 1) : Math.max(1, t);
  // Debian's default ($y$j9T: N = 4096, r = 32) measured at 155 md5crypt guesses.
  return Math.max(1, Math.ceil((155 * N * r * (1 + secondLoop)) / (4096 * 32 * (4 / 3))));
}

/** Identifies a hash from /etc/shadow (already known not to be locked or empty). */
export function identifyHash(hash: string): HashKind {
  if (hash.length === 13 && cryptCharacters.test(hash)) return { supported: true, algorithm: 'des', cost: 1 };
  if (hash.startsWith('_')) return { supported: false, algorithm: 'bsdicrypt' };
  if (hash.startsWith('$1$')) return { supported: true, algorithm: 'md5crypt', cost: 1 };
  if (hash.startsWith('$5$') || hash.startsWith('$6$')) {
    const algorithm = hash.startsWith('$5$') ? 'sha256crypt' : 'sha512crypt';
    return { supported: true, algorithm, cost: Math.ceil(shaCryptRounds(hash) / 1000) };
  }
  const bcrypt = /^\$2[aby]\$(\d\d)\$[./0-9A-Za-z]{53}$/.exec(hash);
  if (bcrypt?.[1] !== undefined) {
    // bcryptjs at cost 10 measured at 40 md5crypt guesses; each step doubles.
    return {
      supported: true,
      algorithm: 'bcrypt',
      cost: Math.max(1, Math.ceil(40 * 2 ** (Number(bcrypt[1]) - 10))),
    };
  }
  if (hash.startsWith('$y$')) {
    try {
      return { supported: true, algorithm: 'yescrypt', cost: yescryptCost(hash) };
    } catch {
      return { supported: false, algorithm: 'yescrypt (unsupported parameters)' };
    }
  }
  const id = /^\$([^$]+)\$/.exec(hash)?.[1];
  if (id !== undefined) return { supported: false, algorithm: unsupportedIds[id] ?? `$${id}$` };
  return { supported: false, algorithm: 'unknown' };
}
