/**
 * A minimal ustar writer for generated benchmark layers: entries come from a generator and leave
 * as a Readable of ~1 MiB chunks, so a layer of gigabytes or of a million entries streams with
 * backpressure and never sits in memory. Owner 0, mtime 0, names under 100 bytes (no prefix field).
 */
import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/** One tar entry: a directory, or a file whose content is given as chunks of the stated total size. */
export type TarEntry =
  | { readonly type: 'dir'; readonly path: string }
  | {
      readonly type: 'file';
      readonly path: string;
      readonly size: number;
      readonly chunks: Iterable<Buffer>;
    };

const block = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(path: string, size: number, type: 'dir' | 'file'): Buffer {
  const name = type === 'dir' && !path.endsWith('/') ? `${path}/` : path;
  if (Buffer.byteLength(name) >= 100) throw new Error(`tar name too long for the benchmark writer: ${name}`);
  const bytes = Buffer.alloc(block);
  bytes.write(name, 0, 'utf8');
  bytes.write(octal(type === 'dir' ? 0o755 : 0o644, 8), 100, 'ascii');
  bytes.write(octal(0, 8), 108, 'ascii');
  bytes.write(octal(0, 8), 116, 'ascii');
  bytes.write(octal(size, 12), 124, 'ascii');
  bytes.write(octal(0, 12), 136, 'ascii');
  bytes.write('        ', 148, 'ascii');
  bytes.write(type === 'dir' ? '5' : '0', 156, 'ascii');
  bytes.write('ustar\u000000', 257, 'ascii');
  let sum = 0;
  for (const byte of bytes) sum += byte;
  bytes.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return bytes;
}

function* tarChunks(entries: Iterable<TarEntry>): Generator<Buffer> {
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  function* add(bytes: Buffer): Generator<Buffer> {
    pending.push(bytes);
    pendingBytes += bytes.length;
    if (pendingBytes >= 1 << 20) {
      yield Buffer.concat(pending);
      pending.length = 0;
      pendingBytes = 0;
    }
  }
  for (const entry of entries) {
    if (entry.type === 'dir') {
      yield* add(header(entry.path, 0, 'dir'));
      continue;
    }
    yield* add(header(entry.path, entry.size, 'file'));
    let written = 0;
    for (const chunk of entry.chunks) {
      written += chunk.length;
      yield* add(chunk);
    }
    if (written !== entry.size)
      throw new Error(`${entry.path}: wrote ${written} bytes, declared ${entry.size}`);
    const padding = (block - (entry.size % block)) % block;
    if (padding > 0) yield* add(Buffer.alloc(padding));
  }
  yield* add(Buffer.alloc(2 * block));
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

/** The uncompressed tar of `entries` as a stream. */
export function tarStream(entries: Iterable<TarEntry>): Readable {
  return Readable.from(tarChunks(entries), { objectMode: false });
}

/**
 * `size` bytes that look random and are the same for the same `seed` on every run (AES-128-CTR
 * over zeros), in chunks of 1 MiB: stands for model weights, media and other incompressible data.
 */
export function* pseudoRandomChunks(seed: string, size: number): Generator<Buffer> {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  const zeros = Buffer.alloc(1 << 20);
  for (let left = size; left > 0; left -= zeros.length) {
    yield cipher.update(left >= zeros.length ? zeros : zeros.subarray(0, left));
  }
}

/**
 * `size` bytes of text lines made by `line(n)` for n = 0, 1, ..., cut at exactly `size` bytes, in
 * chunks of about 1 MiB.
 */
export function* textChunks(size: number, line: (n: number) => string): Generator<Buffer> {
  let left = size;
  let n = 0;
  while (left > 0) {
    const parts: string[] = [];
    let length = 0;
    while (length < 1 << 20) {
      const text = line(n++);
      parts.push(text);
      length += text.length;
    }
    const chunk = Buffer.from(parts.join(''), 'latin1');
    const taken = chunk.subarray(0, Math.min(left, chunk.length));
    left -= taken.length;
    yield taken;
  }
}
