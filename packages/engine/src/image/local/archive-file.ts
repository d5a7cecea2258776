import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { DrydockError } from '../../util/errors.ts';
import type { ScanLimits } from '../../util/limits.ts';
import { throwIfAborted } from './blob-store.ts';
import { indexTar, resolveMember, type TarIndex, type TarMember } from './tar-index.ts';

/**
 * A tar archive read in place: its member index is built once from the headers, and members are
 * served as ranged reads of the file. Nothing is extracted.
 *
 * Compressed archives (`docker save | gzip`): rejected with `unsupported_media_type` (reason
 * `compressed_archive`) unless the caller gives a scratch directory (`decompressInto`); then gzip
 * and zstd archives are decompressed once into a temporary tar there (bounded by the image's
 * uncompressed size limit), which `close()` deletes.
 */
export interface ArchiveOptions {
  readonly limits: ScanLimits;
  /** A scratch directory (the scan's temp dir) where a compressed archive may be decompressed. */
  readonly decompressInto?: string;
}

type ArchiveCompression = 'gzip' | 'zstd' | 'bzip2' | 'xz';

function compressionOf(magic: Buffer): ArchiveCompression | undefined {
  if (magic[0] === 0x1f && magic[1] === 0x8b) return 'gzip';
  if (magic.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  if (magic.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (magic.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  return undefined;
}

/** Fails once more than `limit` bytes have passed. */
class ByteLimit extends Transform {
  #seen = 0;
  readonly #limit: number;
  constructor(limit: number) {
    super();
    this.#limit = limit;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.#limit) {
      callback(
        new DrydockError('image_too_large', 'the decompressed archive is larger than the limit', {
          reason: 'uncompressed_size',
        }),
      );
      return;
    }
    callback(null, chunk);
  }
}

export class ArchiveFile {
  readonly path: string;
  readonly index: TarIndex;
  readonly #handle: FileHandle;
  readonly #scratch: string | undefined;

  private constructor(path: string, handle: FileHandle, index: TarIndex, scratch: string | undefined) {
    this.path = path;
    this.#handle = handle;
    this.index = index;
    this.#scratch = scratch;
  }

  static async open(file: string, options: ArchiveOptions, signal: AbortSignal): Promise<ArchiveFile> {
    throwIfAborted(signal);
    const handle = await open(file).catch((error: unknown) => {
      throw new DrydockError('not_found', `archive ${file} does not exist or cannot be read`, {
        reason: 'archive_not_found',
        cause: error,
      });
    });
    let scratch: string | undefined;
    try {
      const stats = await handle.stat();
      if (!stats.isFile())
        throw new DrydockError('malformed_image', `${file} is not a regular file`, {
          reason: 'not_regular_file',
        });
      const magic = Buffer.alloc(8);
      await handle.read(magic, 0, 8, 0);
      const compression = stats.size >= 8 ? compressionOf(magic) : undefined;
      if (compression === undefined) {
        const index = await indexTar(handle, stats.size, { maxMembers: options.limits.maxFiles, signal });
        return new ArchiveFile(file, handle, index, undefined);
      }
      if (!options.decompressInto || (compression !== 'gzip' && compression !== 'zstd')) {
        throw new DrydockError(
          'unsupported_media_type',
          `${file} is a ${compression}-compressed archive; decompress it first`,
          {
            reason: 'compressed_archive',
            details: { compression },
          },
        );
      }
      await handle.close();
      scratch = await mkdtemp(join(options.decompressInto, 'archive-'));
      const plain = join(scratch, 'archive.tar');
      await pipeline(
        createReadStream(file),
        compression === 'gzip' ? createGunzip() : createZstdDecompress(),
        new ByteLimit(options.limits.maxUncompressedImageBytes),
        createWriteStream(plain),
        { signal },
      ).catch((error: unknown) => {
        if (error instanceof DrydockError) throw error;
        throw new DrydockError('malformed_image', `${file} could not be decompressed`, {
          reason: 'truncated_archive',
          cause: error,
        });
      });
      const plainHandle = await open(plain);
      try {
        const { size } = await plainHandle.stat();
        const index = await indexTar(plainHandle, size, { maxMembers: options.limits.maxFiles, signal });
        return new ArchiveFile(file, plainHandle, index, scratch);
      } catch (error) {
        await plainHandle.close();
        throw error;
      }
    } catch (error) {
      await handle.close().catch(() => undefined);
      if (scratch) await rm(scratch, { recursive: true, force: true });
      throw error;
    }
  }

  /** The regular file a member name leads to (links followed inside the archive). */
  member(name: string): TarMember | undefined {
    return resolveMember(this.index, name);
  }

  async read(member: TarMember, maxBytes: number): Promise<Buffer> {
    if (member.size > maxBytes) {
      throw new DrydockError(
        'malformed_image',
        `${member.name} is ${member.size} bytes, more than the limit`,
        { reason: 'document_too_large' },
      );
    }
    return this.readRange(member.offset, Math.min(member.size, maxBytes));
  }

  async readRange(offset: number, length: number): Promise<Buffer> {
    const buffer = Buffer.alloc(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.#handle.read(buffer, filled, length - filled, offset + filled);
      if (bytesRead === 0)
        throw new DrydockError('malformed_image', 'the archive is truncated', {
          reason: 'truncated_archive',
        });
      filled += bytesRead;
    }
    return buffer;
  }

  /** The member's data as a stream of positional reads (many streams may run at once). */
  stream(member: TarMember): Readable {
    let position = member.offset;
    const end = member.offset + member.size;
    const handle = this.#handle;
    return new Readable({
      highWaterMark: 1 << 20,
      read(size) {
        const length = Math.min(Math.max(size, 64 * 1024), 1 << 20, end - position);
        if (length <= 0) {
          this.push(null);
          return;
        }
        const buffer = Buffer.allocUnsafe(length);
        handle.read(buffer, 0, length, position).then(
          ({ bytesRead }) => {
            if (bytesRead === 0) {
              this.destroy(
                new DrydockError('malformed_image', 'the archive is truncated', {
                  reason: 'truncated_archive',
                }),
              );
              return;
            }
            position += bytesRead;
            this.push(buffer.subarray(0, bytesRead));
          },
          (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
        );
      },
    });
  }

  async close(): Promise<void> {
    await this.#handle.close().catch(() => undefined);
    if (this.#scratch) await rm(this.#scratch, { recursive: true, force: true });
  }
}
