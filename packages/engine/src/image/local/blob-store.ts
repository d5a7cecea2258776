import { addAbortSignal, pipeline, type Readable } from 'node:stream';
import { DrydockError, toDrydockError } from '../../util/errors.ts';
import type { ScanLimits } from '../../util/limits.ts';
import { DigestVerifier, parseDigest } from '../digest.ts';
import type { Descriptor } from '../types.ts';

/**
 * Where a local source finds the files and content-addressed blobs of an OCI image layout
 * (https://github.com/opencontainers/image-spec/blob/main/image-layout.md): a directory, or the
 * members of a tar. Blob paths are `blobs/<alg>/<hex>` built from a validated digest only, so a
 * digest can never name a path outside the layout.
 */
export interface BlobStore {
  /** The directory or archive, for messages. */
  readonly location: string;
  /** A file of the layout by its relative path (`index.json`); undefined when absent. */
  readFile(path: string, maxBytes: number, signal: AbortSignal): Promise<Buffer | undefined>;
  /** The raw bytes of a blob (unverified); undefined when absent. Rejects at open for missing blobs. */
  openRawBlob(path: string, signal: AbortSignal): Promise<Readable | undefined>;
  close(): Promise<void>;
}

/** `blobs/<alg>/<hex>` for a digest; rejects digests that are not a registered algorithm and hex. */
export function blobPath(digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return `blobs/${algorithm}/${hex}`;
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw toDrydockError(signal.reason, signal);
}

/**
 * Puts a DigestVerifier after `source`: the stream fails with `download_failed` (reason
 * `digest_mismatch`, `size_mismatch` or `truncated`) when the bytes lie. Destroying the result
 * destroys the source; aborting `signal` fails it.
 */
export function verified(source: Readable, digest: string, size: number, signal: AbortSignal): Readable {
  const verifier = new DigestVerifier(digest, size);
  pipeline(source, verifier, () => {
    // Errors reach the consumer through `verifier`; pipeline only ties the two streams' lifetimes.
  });
  return addAbortSignal(signal, verifier);
}

/** Opens a blob by descriptor as a verified stream; `not_found` when the store lacks it. */
export async function openBlob(
  store: BlobStore,
  descriptor: Pick<Descriptor, 'digest' | 'size'>,
  signal: AbortSignal,
): Promise<Readable> {
  throwIfAborted(signal);
  const path = blobPath(descriptor.digest);
  const raw = await store.openRawBlob(path, signal);
  if (!raw) {
    throw new DrydockError('not_found', `blob ${descriptor.digest} is missing from ${store.location}`, {
      reason: 'blob_not_found',
      details: { digest: descriptor.digest },
    });
  }
  return verified(raw, descriptor.digest, descriptor.size, signal);
}

/**
 * Reads a small blob (manifest, index, config) whole, verified, within the document size limit.
 * `size` -1 (a blob named only by its digest) is read up to the limit.
 */
export async function readDocumentBlob(
  store: BlobStore,
  descriptor: Pick<Descriptor, 'digest' | 'size'>,
  limits: ScanLimits,
  signal: AbortSignal,
): Promise<Buffer> {
  if (descriptor.size > limits.maxDocumentBytes) {
    throw new DrydockError(
      'malformed_image',
      `document ${descriptor.digest} is ${descriptor.size} bytes, more than the limit`,
      {
        reason: 'document_too_large',
      },
    );
  }
  const stream = await openBlob(store, descriptor, signal);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = chunk as Buffer;
    total += bytes.length;
    if (total > limits.maxDocumentBytes) {
      stream.destroy();
      throw new DrydockError(
        'malformed_image',
        `document ${descriptor.digest} is more than the limit of ${limits.maxDocumentBytes} bytes`,
        {
          reason: 'document_too_large',
        },
      );
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}
