import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DrydockError } from '../util/errors.ts';

const digestPattern = /^(sha256|sha512):([a-f0-9]+)$/;

/** OCI digest grammar (image spec, descriptor.md "Digests"), restricted to the registered algorithms. */
export function parseDigest(digest: string): {
  readonly algorithm: 'sha256' | 'sha512';
  readonly hex: string;
} {
  const match = digestPattern.exec(digest);
  const algorithm = match?.[1];
  const hex = match?.[2];
  if ((algorithm !== 'sha256' && algorithm !== 'sha512') || hex === undefined) {
    throw new DrydockError('malformed_image', `invalid digest ${JSON.stringify(digest.slice(0, 100))}`, {
      reason: 'invalid_digest',
    });
  }
  const expectedLength = algorithm === 'sha256' ? 64 : 128;
  if (hex.length !== expectedLength) {
    throw new DrydockError('malformed_image', `invalid ${algorithm} digest length`, {
      reason: 'invalid_digest',
    });
  }
  return { algorithm, hex };
}

export function digestOf(bytes: Buffer, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Throws `download_failed` (reason `digest_mismatch`) unless `bytes` hash to `expected`. */
export function verifyBytes(bytes: Buffer, expected: string, what: string): void {
  const { algorithm } = parseDigest(expected);
  const actual = digestOf(bytes, algorithm);
  if (actual !== expected) {
    throw new DrydockError('download_failed', `${what} does not match its digest`, {
      reason: 'digest_mismatch',
      details: { expected, actual },
    });
  }
}

/**
 * A pass-through stream that hashes what flows by and fails at the end when the digest or the
 * size differ from the descriptor: a registry or archive that lies is caught before its bytes
 * can count as the image. Too many bytes fail as soon as they arrive.
 */
export class DigestVerifier extends Transform {
  readonly #hash;
  readonly #expected: string;
  readonly #expectedSize: number;
  #seen = 0;

  /** @param expectedSize bytes the descriptor promises, or -1 when unknown */
  constructor(expected: string, expectedSize: number) {
    super({ highWaterMark: 1 << 20 });
    const { algorithm } = parseDigest(expected);
    this.#hash = createHash(algorithm);
    this.#expected = expected;
    this.#expectedSize = expectedSize;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#expectedSize >= 0 && this.#seen > this.#expectedSize) {
      callback(
        new DrydockError('download_failed', `blob ${this.#expected} is larger than its descriptor says`, {
          reason: 'size_mismatch',
          details: { expected: this.#expectedSize, digest: this.#expected },
        }),
      );
      return;
    }
    this.#hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.#expectedSize >= 0 && this.#seen !== this.#expectedSize) {
      callback(
        new DrydockError(
          'download_failed',
          `blob ${this.#expected} ended after ${this.#seen} of ${this.#expectedSize} bytes`,
          {
            reason: 'truncated',
            details: { digest: this.#expected },
          },
        ),
      );
      return;
    }
    const actual = `${this.#expected.split(':')[0]}:${this.#hash.digest('hex')}`;
    if (actual !== this.#expected) {
      callback(
        new DrydockError('download_failed', `blob ${this.#expected} does not match its digest`, {
          reason: 'digest_mismatch',
          details: { expected: this.#expected, actual },
        }),
      );
      return;
    }
    callback();
  }
}
