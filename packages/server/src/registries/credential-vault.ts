import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Registry credentials are stored encrypted (PRODUCT.md section 2: "stored encrypted, never returned
 * by the API"). The vault seals them with AES-256-GCM under one service key, which comes from a
 * setting (`DRYDOCK_SECRET_KEY`) or from a key file that the service creates on first start.
 *
 * Envelope (text, so it fits a plain column): `v1.<key id>.<iv>.<tag>.<ciphertext>`, each part
 * base64url without padding. The key id (8 bytes of HMAC-SHA-256 of a fixed label under the key)
 * tells a wrong key from a tampered value and leaves room for rotating keys later; it reveals nothing
 * about the key. Every seal draws a fresh random 12-byte IV. The associated data (for example the
 * connection id) is authenticated with the version and key id, so a sealed value copied to another
 * row does not open there.
 */

const envelopeVersion = 'v1';
const keyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;
const keyIdBytes = 8;
const keyIdLabel = 'drydock credential vault key id';
const base64Key = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const base64UrlPart = /^[A-Za-z0-9_-]*$/;

export const vaultErrorCodes = [
  /** The key (setting or file content) is not 32 bytes in base64. */
  'invalid_key',
  /** The key file can be read by group or others, or is not a regular file. */
  'insecure_key_file',
  /** The key file could not be read or created. */
  'key_file_unavailable',
  /** The value was sealed under another key. */
  'wrong_key',
  /** The value is malformed, was tampered with, or was sealed for other associated data. */
  'corrupt',
] as const;
export type VaultErrorCode = (typeof vaultErrorCodes)[number];

/** Vault failures; messages and details never carry a key or a plaintext. */
export class VaultError extends Error {
  readonly code: VaultErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(
    code: VaultErrorCode,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'VaultError';
    this.code = code;
    this.details = details;
  }
}

export interface CredentialVaultOptions {
  /** The key as base64 of 32 bytes (from a setting such as `DRYDOCK_SECRET_KEY`); wins over the file. */
  readonly key?: string;
  /**
   * Where the key lives when no `key` is given: read when present (it must not be readable by group
   * or others), otherwise created with mode 0600 holding 32 random bytes in base64.
   */
  readonly keyFile: string;
}

export class CredentialVault {
  readonly #key: Buffer;
  readonly #keyId: string;

  private constructor(key: Buffer) {
    this.#key = key;
    this.#keyId = createHmac('sha256', key)
      .update(keyIdLabel)
      .digest()
      .subarray(0, keyIdBytes)
      .toString('base64url');
  }

  static async open(options: CredentialVaultOptions): Promise<CredentialVault> {
    if (options.key !== undefined) return new CredentialVault(decodeKey(options.key, 'setting'));
    return new CredentialVault(await loadOrCreateKeyFile(options.keyFile));
  }

  /** Encrypts `plaintext`, bound to `associatedData` (which must be given again to open it). */
  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: tagBytes });
    cipher.setAAD(this.#aad(this.#keyId, associatedData));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [this.#keyId, iv, cipher.getAuthTag(), ciphertext].map((part) =>
      typeof part === 'string' ? part : part.toString('base64url'),
    );
    return [envelopeVersion, ...parts].join('.');
  }

  /** Decrypts a value from `seal`; throws `wrong_key` or `corrupt`. */
  open(sealed: string, associatedData: string): string {
    const envelope = parseEnvelope(sealed);
    if (envelope.keyId !== this.#keyId) {
      throw new VaultError('wrong_key', 'the credentials were sealed under another key');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.#key, envelope.iv, { authTagLength: tagBytes });
    decipher.setAAD(this.#aad(envelope.keyId, associatedData));
    decipher.setAuthTag(envelope.tag);
    try {
      return Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new VaultError(
        'corrupt',
        'the sealed credentials failed authentication (tampered, or sealed for another record)',
        {},
        cause,
      );
    }
  }

  /**
   * Encrypts bytes (the layer cache's entries, which may hold /etc/shadow) into one binary value:
   * key id, IV, tag, ciphertext. Bound to `associatedData` like `seal`.
   */
  sealBytes(plaintext: Uint8Array, associatedData: string): Buffer {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: tagBytes });
    cipher.setAAD(this.#aad(this.#keyId, associatedData));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from(this.#keyId, 'base64url'), iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Decrypts a value from `sealBytes`; throws `wrong_key` or `corrupt`. */
  openBytes(sealed: Uint8Array, associatedData: string): Buffer {
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (bytes.length < keyIdBytes + ivBytes + tagBytes)
      throw new VaultError('corrupt', 'the sealed value is too short');
    const keyId = bytes.subarray(0, keyIdBytes).toString('base64url');
    if (keyId !== this.#keyId) throw new VaultError('wrong_key', 'the value was sealed under another key');
    const iv = bytes.subarray(keyIdBytes, keyIdBytes + ivBytes);
    const tag = bytes.subarray(keyIdBytes + ivBytes, keyIdBytes + ivBytes + tagBytes);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv, { authTagLength: tagBytes });
    decipher.setAAD(this.#aad(keyId, associatedData));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([
        decipher.update(bytes.subarray(keyIdBytes + ivBytes + tagBytes)),
        decipher.final(),
      ]);
    } catch (cause) {
      throw new VaultError('corrupt', 'the sealed value failed authentication', {}, cause);
    }
  }

  #aad(keyId: string, associatedData: string): Buffer {
    return Buffer.from(`${envelopeVersion}.${keyId}.${associatedData}`, 'utf8');
  }
}

interface Envelope {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

function parseEnvelope(sealed: string): Envelope {
  const parts = typeof sealed === 'string' ? sealed.split('.') : [];
  const [version, keyId, iv, tag, ciphertext] = parts;
  if (
    parts.length !== 5 ||
    version !== envelopeVersion ||
    keyId === undefined ||
    iv === undefined ||
    tag === undefined ||
    ciphertext === undefined ||
    ![keyId, iv, tag, ciphertext].every((part) => base64UrlPart.test(part))
  ) {
    throw new VaultError('corrupt', 'the sealed credentials are not a v1 envelope');
  }
  const decoded = {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
  };
  if (
    Buffer.from(keyId, 'base64url').length !== keyIdBytes ||
    decoded.iv.length !== ivBytes ||
    decoded.tag.length !== tagBytes
  ) {
    throw new VaultError('corrupt', 'the sealed credentials have parts of the wrong length');
  }
  return decoded;
}

function decodeKey(text: string, source: 'setting' | 'file'): Buffer {
  const trimmed = text.trim();
  const key = base64Key.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
  if (key?.length !== keyBytes) {
    throw new VaultError('invalid_key', `the ${source} key must be ${keyBytes} bytes in base64`, {
      source,
      bytes: key?.length ?? null,
    });
  }
  return key;
}

async function loadOrCreateKeyFile(path: string): Promise<Buffer> {
  const existing = await readKeyFile(path);
  if (existing) return existing;
  const key = randomBytes(keyBytes);
  // Written beside the target and linked into place, so the key file appears complete or not at all;
  // when two processes start at once, the second link fails and that process reads the first's key.
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(temporary, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    await link(temporary, path);
  } catch (cause) {
    if (isErrnoCode(cause, 'EEXIST')) {
      const raced = await readKeyFile(path);
      if (raced) return raced;
    }
    throw new VaultError('key_file_unavailable', 'the key file could not be created', { path }, cause);
  } finally {
    await rm(temporary, { force: true });
  }
  return key;
}

/** The key in the file, or undefined when there is no file. */
async function readKeyFile(path: string): Promise<Buffer | undefined> {
  let info;
  try {
    info = await stat(path);
  } catch (cause) {
    if (isErrnoCode(cause, 'ENOENT')) return undefined;
    throw new VaultError('key_file_unavailable', 'the key file could not be read', { path }, cause);
  }
  if (!info.isFile())
    throw new VaultError('insecure_key_file', 'the key file is not a regular file', { path });
  if ((info.mode & 0o077) !== 0) {
    throw new VaultError(
      'insecure_key_file',
      'the key file must not be accessible by group or others (chmod 600)',
      {
        path,
        mode: (info.mode & 0o777).toString(8),
      },
    );
  }
  let text;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new VaultError('key_file_unavailable', 'the key file could not be read', { path }, cause);
  }
  return decodeKey(text, 'file');
}

function isErrnoCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
