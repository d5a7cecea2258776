/**
 * Test helpers to look inside layer streams without the engine's layer walker: decompress by magic
 * bytes, hash, and list tar headers (tar-stream extract).
 */
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync, zstdDecompressSync } from 'node:zlib';
import * as tar from 'tar-stream';

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Decompresses gzip or zstd (by magic bytes); plain bytes are returned as they are. */
export function decompress(bytes: Buffer): Buffer {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return gunzipSync(bytes);
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0xfd2fb528) return zstdDecompressSync(bytes);
  return bytes;
}

export function sha256Of(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export interface TarHeaderView {
  readonly name: string;
  readonly type: string;
  readonly mode: number;
  readonly size: number;
  readonly linkname: string | undefined;
  readonly uid: number;
  readonly content: Buffer;
}

/** Every entry of a (decompressed) tar with its content. */
export async function tarEntries(tarBytes: Buffer): Promise<TarHeaderView[]> {
  const extract = tar.extract();
  const entries: TarHeaderView[] = [];
  const source = new PassThrough();
  source.end(tarBytes);
  const reading = (async () => {
    for await (const entry of extract) {
      const content = await readAll(Readable.from(entry));
      const header = entry.header;
      entries.push({
        name: header.name,
        type: header.type,
        mode: header.mode,
        size: header.size,
        linkname: header.linkname || undefined,
        uid: header.uid,
        content,
      });
    }
  })();
  await pipeline(source, extract);
  await reading;
  return entries;
}
