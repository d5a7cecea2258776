import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

/**
 * Password hashes with scrypt (RFC 7914, https://www.rfc-editor.org/rfc/rfc7914). The stored text
 * carries the cost parameters with the salt and key, `$scrypt$ln=15,r=8,p=1$<salt>$<key>` (base64
 * without padding, after the PHC string format), so the parameters can be raised later: old hashes
 * still verify with their own, and `needsRehash` tells a login to store a stronger one.
 */

interface ScryptParameters {
  /** log2 of the CPU/memory cost N. */
  readonly logN: number;
  readonly r: number;
  readonly p: number;
}

/**
 * 2^15 × r 8 × 128 bytes = 32 MiB and about 100 ms per hash on one core: enough to make guessing
 * slow, cheap enough for a burst of logins. OWASP's cheat sheet pairs this N with p = 3; raising
 * p costs only time and, thanks to the encoding, needs no migration.
 */
const current: ScryptParameters = { logN: 15, r: 8, p: 1 };
const saltBytes = 16;
const keyBytes = 64;

export const minPasswordLength = 12;
/** Long enough for any passphrase, short enough that hashing it costs nothing extra. */
export const maxPasswordLength = 1024;

/** The password rules: at least 12 characters (NIST SP 800-63B asks for length, not character classes). */
export const passwordSchema = z
  .string()
  .min(minPasswordLength, `a password has at least ${minPasswordLength} characters`)
  .max(maxPasswordLength, `a password has at most ${maxPasswordLength} characters`);

function derive(
  password: string,
  salt: Buffer,
  length: number,
  parameters: ScryptParameters,
): Promise<Buffer> {
  const options: ScryptOptions = {
    N: 2 ** parameters.logN,
    r: parameters.r,
    p: parameters.p,
    // Node refuses more than 32 MiB by default; allow twice what the parameters need.
    maxmem: 256 * 2 ** parameters.logN * parameters.r,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

function encode(parameters: ScryptParameters, salt: Buffer, key: Buffer): string {
  const { logN, r, p } = parameters;
  return `$scrypt$ln=${logN},r=${r},p=${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

interface DecodedHash {
  readonly parameters: ScryptParameters;
  readonly salt: Buffer;
  readonly key: Buffer;
}

const encoded = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

/** undefined for text that is not a hash of this module (a corrupt row verifies nothing). */
function decode(hash: string): DecodedHash | undefined {
  const match = encoded.exec(hash);
  if (!match) return undefined;
  const [, logN, r, p, salt, key] = match;
  const parameters = { logN: Number(logN), r: Number(r), p: Number(p) };
  if (parameters.logN < 1 || parameters.logN > 22 || parameters.r < 1 || parameters.p < 1) return undefined;
  return { parameters, salt: Buffer.from(salt ?? '', 'base64url'), key: Buffer.from(key ?? '', 'base64url') };
}

/** A new hash of `password` with a fresh random salt and the current parameters. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltBytes);
  return encode(current, salt, await derive(password, salt, keyBytes, current));
}

/** Whether `password` is the one `hash` was made from; compares in constant time. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const decoded = decode(hash);
  if (!decoded || decoded.key.length === 0) return false;
  const key = await derive(password, decoded.salt, decoded.key.length, decoded.parameters);
  return timingSafeEqual(key, decoded.key);
}

/** Whether `hash` was made with other parameters than today's (a login then stores a new one). */
export function needsRehash(hash: string): boolean {
  const decoded = decode(hash);
  if (!decoded) return true;
  const { logN, r, p } = decoded.parameters;
  return logN !== current.logN || r !== current.r || p !== current.p || decoded.key.length !== keyBytes;
}

/**
 * A well-formed hash no password matches in practice, verified against when a login names an
 * unknown user so that the answer takes as long as for a known one (no user enumeration by timing).
 */
export const unknownUserHash = encode(current, Buffer.alloc(saltBytes), Buffer.alloc(keyBytes));
