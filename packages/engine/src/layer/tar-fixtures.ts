/**
 * Test support for the layer walk: layer tars built in memory (tar-stream's packer for small
 * layers, a raw ustar header writer for the huge ones), compressed with node:zlib, and streamed
 * back in chunks like a download would be. Not imported by production code.
 */
import { Readable } from 'node:stream';
import { gzipSync, zstdCompressSync, constants as zlibConstants } from 'node:zlib';
import { pack } from 'tar-stream';
import type { Analyzer } from '../analyzer/contract.ts';
import type { LayerRef } from '../analyzer/layer-ref.ts';
import { resolveLimits, type ScanLimits } from '../util/limits.ts';
import type { LayerEntrySink, LayerWalkInput, WalkBudget } from './types.ts';

export interface FixtureEntry {
  readonly name: string;
  readonly type?: 'file' | 'directory' | 'symlink' | 'link' | 'fifo' | 'character-device';
  readonly content?: string | Buffer;
  readonly mode?: number;
  readonly linkname?: string;
}

/** A tar built by tar-stream's packer (pax headers for long names included). */
export async function packLayer(entries: readonly FixtureEntry[]): Promise<Buffer> {
  const packer = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of packer) if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  })();
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    const content = typeof entry.content === 'string' ? Buffer.from(entry.content) : entry.content;
    const mode = entry.mode ?? (type === 'directory' ? 0o755 : 0o644);
    await new Promise<void>((resolve, reject) => {
      const header = {
        name: entry.name,
        type,
        mode,
        linkname: entry.linkname,
        size: type === 'file' ? (content?.length ?? 0) : 0,
      };
      const callback = (error?: Error | null): void => (error ? reject(error) : resolve());
      if (type === 'file') packer.entry(header, content ?? Buffer.alloc(0), callback);
      else packer.entry(header, callback);
    });
  }
  packer.finalize();
  await done;
  return Buffer.concat(chunks);
}

export const gzip = (data: Buffer): Buffer => gzipSync(data);
export const zstd = (data: Buffer): Buffer => zstdCompressSync(data);

/** Streams a buffer in chunks, as a registry download would arrive. */
export function streamOf(data: Buffer, chunkBytes = 64 * 1024): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= data.length) {
        this.push(null);
        return;
      }
      const end = Math.min(offset + chunkBytes, data.length);
      this.push(data.subarray(offset, end));
      offset = end;
    },
  });
}

/** A stream that yields chunks produced on demand, so huge fixtures are never held whole. */
export function generatedStream(next: () => Buffer | null): Readable {
  return new Readable({
    read() {
      this.push(next());
    },
  });
}

/** A ustar header block, written directly (fast enough for a million entries). */
export function ustarHeader(name: string, size: number, typeflag = '0', mode = 0o644, linkname = ''): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write(mode.toString(8).padStart(7, '0'), 100, 'ascii');
  block.write('0000000', 108, 'ascii');
  block.write('0000000', 116, 'ascii');
  block.write(size.toString(8).padStart(11, '0'), 124, 'ascii');
  block.write('00000000000', 136, 'ascii');
  block.write(typeflag, 156, 'ascii');
  block.write(linkname, 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 'latin1');
  writeChecksum(block);
  return block;
}

function writeChecksum(block: Buffer): void {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += block[i] ?? 0;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'ascii');
}

/**
 * A plain tar of `count` empty files named `d<i/1000>/f<i>`, generated 1 MiB at a time: a header
 * template is patched per entry and its checksum adjusted by the bytes that changed.
 */
export function manyEmptyFilesTar(count: number): Readable {
  const template = ustarHeader('', 0);
  const templateSum = sumBytes(template, 0, 512) - sumBytes(template, 148, 156) + 8 * 0x20;
  const perChunk = 2048;
  let next = 0;
  let trailerSent = false;
  return generatedStream(() => {
    if (next >= count) {
      if (trailerSent) return null;
      trailerSent = true;
      return Buffer.alloc(1024);
    }
    const n = Math.min(perChunk, count - next);
    const chunk = Buffer.allocUnsafe(n * 512);
    for (let k = 0; k < n; k++, next++) {
      const offset = k * 512;
      template.copy(chunk, offset);
      const written = chunk.write(`d${Math.floor(next / 1000)}/f${next}`, offset, 100, 'latin1');
      const sum = templateSum + sumBytes(chunk, offset, offset + written);
      chunk.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, offset + 148, 'ascii');
    }
    return chunk;
  });
}

function sumBytes(buffer: Buffer, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += buffer[i] ?? 0;
  return sum;
}

/**
 * A gzip decompression bomb: one tar header for a file of `totalBytes` zeros, then the zeros as
 * gzip members of 1 MiB each. Each member is compressed once and repeated (concatenated members
 * are one valid gzip stream), so 2 GiB of zeros cost about 2 MB and no compressing time.
 */
export function gzipBomb(totalBytes: number): Readable {
  const MiB = 1024 * 1024;
  const first = gzipSync(Buffer.concat([ustarHeader('bomb', totalBytes), Buffer.alloc(MiB - 512)]), {
    level: 9,
  });
  const member = gzipSync(Buffer.alloc(MiB), { level: zlibConstants.Z_BEST_COMPRESSION });
  const members = Math.ceil((totalBytes + 512) / MiB);
  const batch = Buffer.concat(Array.from({ length: 64 }, () => member));
  let sent = 0;
  return generatedStream(() => {
    if (sent === 0) {
      sent = 1;
      return first;
    }
    if (sent >= members) return null;
    const n = Math.min(64, members - sent);
    sent += n;
    return n === 64 ? batch : batch.subarray(0, n * member.length);
  });
}

export function layerRef(index: number): LayerRef {
  return {
    index,
    digest: `sha256:${index.toString(16).padStart(64, '0')}`,
    diffId: undefined,
    createdBy: undefined,
  };
}

export function freshBudget(): WalkBudget {
  return { files: 0, uncompressedBytes: 0 };
}

export interface InputOptions {
  readonly mediaType?: string;
  readonly analyzers?: readonly Analyzer[];
  readonly limits?: Partial<ScanLimits>;
  readonly budget?: WalkBudget;
  readonly sink?: LayerEntrySink;
  readonly signal?: AbortSignal;
  readonly index?: number;
}

export function walkInput(stream: Readable, options: InputOptions = {}): LayerWalkInput {
  return {
    stream,
    mediaType: options.mediaType ?? 'application/vnd.oci.image.layer.v1.tar+gzip',
    layer: layerRef(options.index ?? 0),
    analyzers: options.analyzers ?? [],
    limits: resolveLimits(options.limits),
    budget: options.budget ?? freshBudget(),
    sink: options.sink,
    signal: options.signal ?? new AbortController().signal,
  };
}
