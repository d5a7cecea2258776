/**
 * md5crypt (`$1$salt$hash`), Poul-Henning Kamp's FreeBSD scheme, written here from its published
 * description on Node's native MD5: the npm implementations hash in plain JavaScript and do not cap
 * the salt at 8 characters as crypt(3) does.
 */
import { createHash } from 'node:crypto';

const magic = '$1$';
const cryptAlphabet = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** crypt's base-64: `count` characters of `value`, least significant six bits first. */
function cryptBase64(value: number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    out += cryptAlphabet[value & 0x3f];
    value >>>= 6;
  }
  return out;
}

function md5(...parts: Buffer[]): Buffer {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** The salt of a `$1$` hash: up to 8 characters before the next `$`. */
function md5cryptSalt(setting: string): string {
  const rest = setting.slice(magic.length);
  const end = rest.indexOf('$');
  return (end === -1 ? rest : rest.slice(0, end)).slice(0, 8);
}

/** The full `$1$salt$hash` string for `password` with the salt of `setting`. */
export function md5crypt(password: string, setting: string): string {
  const key = Buffer.from(password, 'utf8');
  const saltText = md5cryptSalt(setting);
  const salt = Buffer.from(saltText, 'utf8');
  const alternate = md5(key, salt, key);

  const initial = createHash('md5');
  initial.update(key).update(magic).update(salt);
  for (let left = key.length; left > 0; left -= 16) initial.update(alternate.subarray(0, Math.min(16, left)));
  // The historical quirk: a zero byte for each set bit of the length, the key's first byte otherwise.
  const zero = Buffer.alloc(1);
  const first = key.subarray(0, 1);
  for (let bits = key.length; bits > 0; bits >>>= 1) initial.update(bits & 1 ? zero : first);
  let digest = initial.digest();

  // 1000 rounds to slow guessing down.
  for (let round = 0; round < 1000; round++) {
    const hash = createHash('md5');
    hash.update(round & 1 ? key : digest);
    if (round % 3 !== 0) hash.update(salt);
    if (round % 7 !== 0) hash.update(key);
    hash.update(round & 1 ? digest : key);
    digest = hash.digest();
  }

  const byte = (index: number): number => digest[index] ?? 0;
  const triple = (a: number, b: number, c: number): string =>
    cryptBase64((byte(a) << 16) | (byte(b) << 8) | byte(c), 4);
  const encoded =
    triple(0, 6, 12) +
    triple(1, 7, 13) +
    triple(2, 8, 14) +
    triple(3, 9, 15) +
    triple(4, 10, 5) +
    cryptBase64(byte(11), 2);
  return `${magic}${saltText}$${encoded}`;
}
