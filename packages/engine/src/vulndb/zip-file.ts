import { crc32, inflateRawSync } from 'node:zlib';
import type { FileHandle } from 'node:fs/promises';
import { feedError } from './feed-error.ts';

/**
 * A reader of ZIP archives on disk (the OSV project's per-ecosystem `all.zip`): the end of central
 * directory record (ZIP64 included), the central directory, and stored or deflated members read
 * with positioned reads, inflated with a per-member bound and checked against their CRC-32.
 * Only what is needed is held in memory: the central directory and one member at a time.
 * https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (sections 4.3, 4.4 and 4.5.3)
 */
export interface ZipMember {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
}

export type ZipMemberContent =
  { readonly ok: true; readonly content: Buffer } | { readonly ok: false; readonly reason: string };

const eocdSignature = 0x06054b50;
const zip64LocatorSignature = 0x07064b50;
const zip64EocdSignature = 0x06064b50;
const centralSignature = 0x02014b50;
const localSignature = 0x04034b50;
const u32Max = 0xffffffff;
const eocdSize = 22;
const maxCommentLength = 0xffff;

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

function u64(buffer: Buffer, at: number): number | undefined {
  if (at < 0 || at + 8 > buffer.length) return undefined;
  const value = buffer.readBigUInt64LE(at);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}

function truncated(message: string): Error {
  return feedError('truncated_zip', `truncated or damaged ZIP archive: ${message}`);
}

interface DirectoryLocation {
  readonly entries: number;
  readonly size: number;
  readonly offset: number;
}

/** Finds the (ZIP64) end of central directory record in the archive's tail. */
async function locateDirectory(file: FileHandle, fileSize: number): Promise<DirectoryLocation> {
  if (fileSize < eocdSize) throw truncated('shorter than an end of central directory record');
  const tailLength = Math.min(fileSize, eocdSize + maxCommentLength + 20 + 56);
  const tailStart = fileSize - tailLength;
  const tail = await readAt(file, tailStart, tailLength);
  let eocd = -1;
  for (let at = tail.length - eocdSize; at >= 0; at--) {
    if (tail[at] === 0x50 && tail.readUInt32LE(at) === eocdSignature) {
      // The comment must end exactly at the end of the file.
      if (at + eocdSize + tail.readUInt16LE(at + 20) === tail.length) {
        eocd = at;
        break;
      }
    }
  }
  if (eocd < 0) throw truncated('no end of central directory record');
  let location: DirectoryLocation = {
    entries: tail.readUInt16LE(eocd + 10),
    size: tail.readUInt32LE(eocd + 12),
    offset: tail.readUInt32LE(eocd + 16),
  };
  const locator = eocd - 20;
  if (locator >= 0 && tail.readUInt32LE(locator) === zip64LocatorSignature) {
    const recordOffset = u64(tail, locator + 8);
    if (recordOffset === undefined) throw truncated('ZIP64 locator out of range');
    const record = await readAt(file, recordOffset, 56);
    if (record.length < 56 || record.readUInt32LE(0) !== zip64EocdSignature) {
      throw truncated('ZIP64 end of central directory record missing');
    }
    const entries = u64(record, 32);
    const size = u64(record, 40);
    const offset = u64(record, 48);
    if (entries === undefined || size === undefined || offset === undefined)
      throw truncated('ZIP64 sizes out of range');
    location = { entries, size, offset };
  }
  if (location.offset + location.size > fileSize)
    throw truncated('central directory beyond the end of the file');
  return location;
}

/** The ZIP64 extra field's values for the 32-bit fields that are saturated. */
function zip64Values(
  extra: Buffer,
  sizes: { uncompressed: number; compressed: number; offset: number },
): { uncompressed: number; compressed: number; offset: number } | undefined {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      const body = extra.subarray(at + 4, at + 4 + length);
      let field = 0;
      const next = (): number | undefined => {
        const value = u64(body, field);
        field += 8;
        return value;
      };
      const uncompressed = sizes.uncompressed === u32Max ? next() : sizes.uncompressed;
      const compressed = sizes.compressed === u32Max ? next() : sizes.compressed;
      const offset = sizes.offset === u32Max ? next() : sizes.offset;
      if (uncompressed === undefined || compressed === undefined || offset === undefined) return undefined;
      return { uncompressed, compressed, offset };
    }
    at += 4 + length;
  }
  return sizes;
}

/**
 * Reads the central directory of the archive. A missing or damaged end record or directory (the
 * usual result of an interrupted download) is a `truncated_zip` failure: nothing is imported
 * from an archive whose directory cannot be trusted.
 */
export async function readZipMembers(file: FileHandle, maxEntries: number): Promise<ZipMember[]> {
  const { size: fileSize } = await file.stat();
  const location = await locateDirectory(file, fileSize);
  if (location.entries > maxEntries) {
    throw feedError('feed_too_large', `ZIP archive has ${location.entries} entries, more than ${maxEntries}`);
  }
  const directory = await readAt(file, location.offset, location.size);
  if (directory.length < location.size) throw truncated('central directory cut short');
  const members: ZipMember[] = [];
  let at = 0;
  for (let index = 0; index < location.entries; index++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== centralSignature) {
      throw truncated(`central directory entry ${index} damaged`);
    }
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const nameStart = at + 46;
    if (nameStart + nameLength + extraLength > directory.length)
      throw truncated(`central directory entry ${index} cut short`);
    const sizes = zip64Values(
      directory.subarray(nameStart + nameLength, nameStart + nameLength + extraLength),
      {
        compressed: directory.readUInt32LE(at + 20),
        uncompressed: directory.readUInt32LE(at + 24),
        offset: directory.readUInt32LE(at + 42),
      },
    );
    if (sizes === undefined) throw truncated(`central directory entry ${index} has a damaged ZIP64 field`);
    members.push({
      name: directory.toString('utf8', nameStart, nameStart + nameLength),
      flags: directory.readUInt16LE(at + 8),
      method: directory.readUInt16LE(at + 10),
      crc: directory.readUInt32LE(at + 16),
      compressedSize: sizes.compressed,
      uncompressedSize: sizes.uncompressed,
      localHeaderOffset: sizes.offset,
    });
    at = nameStart + nameLength + extraLength + commentLength;
  }
  return members;
}

/**
 * The content of one member, at most `limit` bytes once inflated. A member that is encrypted, uses
 * another method, lies about its size, fails its CRC or lies outside the file is reported with a
 * reason (the caller counts it as an invalid record); it never throws for one bad member.
 */
export async function readZipMember(
  file: FileHandle,
  member: ZipMember,
  limit: number,
): Promise<ZipMemberContent> {
  if ((member.flags & 1) !== 0) return { ok: false, reason: 'encrypted ZIP member' };
  if (member.method !== 0 && member.method !== 8)
    return { ok: false, reason: `ZIP compression method ${member.method}` };
  if (member.uncompressedSize > limit) return { ok: false, reason: `ZIP member larger than ${limit} bytes` };
  const header = await readAt(file, member.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== localSignature)
    return { ok: false, reason: 'ZIP local header missing' };
  const dataStart = member.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const data = await readAt(file, dataStart, member.compressedSize);
  if (data.length < member.compressedSize) return { ok: false, reason: 'ZIP member cut short' };
  let content: Buffer;
  if (member.method === 0) {
    content = data;
  } else {
    try {
      content = inflateRawSync(data, { maxOutputLength: Math.max(1, member.uncompressedSize + 1) });
    } catch (error) {
      if (error instanceof RangeError)
        return { ok: false, reason: 'ZIP member inflates past its declared size' };
      return { ok: false, reason: 'ZIP member data damaged' };
    }
  }
  if (content.length !== member.uncompressedSize) return { ok: false, reason: 'ZIP member size mismatch' };
  if (crc32(content) !== member.crc) return { ok: false, reason: 'ZIP member CRC mismatch' };
  return { ok: true, content };
}
