import { inflateRawSync } from 'node:zlib';

/**
 * A bounds-checked reader of ZIP archives held in memory: the central directory (ZIP64 included,
 * data prepended to the archive tolerated) and stored or deflated members, inflated within a byte
 * budget. Entry names are only ever compared, never used as file paths.
 * https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (sections 4.3 and 4.5.3)
 */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Offset of the local file header in the buffer (already shifted for prepended data). */
  readonly localHeaderOffset: number;
}

export type ZipDirectory =
  | { readonly ok: true; readonly entries: readonly ZipEntry[]; readonly truncated: boolean }
  | { readonly ok: false; readonly error: string };

const eocdSignature = 0x06054b50;
const zip64LocatorSignature = 0x07064b50;
const zip64EocdSignature = 0x06064b50;
const centralSignature = 0x02014b50;
const localSignature = 0x04034b50;
const u32Max = 0xffffffff;

function u16(buffer: Buffer, at: number): number | undefined {
  return at >= 0 && at + 2 <= buffer.length ? buffer.readUInt16LE(at) : undefined;
}

function u32(buffer: Buffer, at: number): number | undefined {
  return at >= 0 && at + 4 <= buffer.length ? buffer.readUInt32LE(at) : undefined;
}

function u64(buffer: Buffer, at: number): number | undefined {
  if (at < 0 || at + 8 > buffer.length) return undefined;
  const value = buffer.readBigUInt64LE(at);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}

function findEndOfCentralDirectory(zip: Buffer): number | undefined {
  const lowest = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= lowest; at--) {
    if (zip[at] === 0x50 && u32(zip, at) === eocdSignature) return at;
  }
  return undefined;
}

/** The ZIP64 values of one central directory entry: each present only where the 32-bit field is 0xffffffff. */
function zip64Extra(
  extra: Buffer,
  sizes: { uncompressed: number; compressed: number; offset: number },
): { uncompressed: number; compressed: number; offset: number } | undefined {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    const body = extra.subarray(at + 4, at + 4 + length);
    if (id === 0x0001) {
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

/** Reads the central directory; at most `maxEntries` entries (`truncated` says whether more were cut). */
export function readZipDirectory(zip: Buffer, maxEntries: number): ZipDirectory {
  const eocd = findEndOfCentralDirectory(zip);
  if (eocd === undefined) return { ok: false, error: 'no ZIP end of central directory record' };
  let entryCount = u16(zip, eocd + 10) ?? 0;
  let directorySize = u32(zip, eocd + 12) ?? 0;
  let directoryOffset = u32(zip, eocd + 16) ?? 0;
  let directoryEnd = eocd;
  const locator = eocd - 20;
  if (locator >= 0 && u32(zip, locator) === zip64LocatorSignature) {
    const zip64Offset = u64(zip, locator + 8);
    // The ZIP64 record sits right before its locator; its stated offset may be off by prepended data.
    const candidates = [zip64Offset, locator - 56].filter((at): at is number => at !== undefined);
    const record = candidates.find((at) => u32(zip, at) === zip64EocdSignature);
    if (record !== undefined) {
      entryCount = u64(zip, record + 32) ?? entryCount;
      directorySize = u64(zip, record + 40) ?? directorySize;
      directoryOffset = u64(zip, record + 48) ?? directoryOffset;
      directoryEnd = record;
    }
  }
  // Data prepended to the archive (a launch script, a self-extractor) shifts every offset.
  const shift = directoryEnd - directorySize - directoryOffset;
  const start = directoryOffset + shift;
  if (start < 0 || start > zip.length) return { ok: false, error: 'ZIP central directory outside the file' };
  const entries: ZipEntry[] = [];
  let at = start;
  let truncated = false;
  for (let index = 0; index < entryCount; index++) {
    if (entries.length >= maxEntries) {
      truncated = true;
      break;
    }
    if (u32(zip, at) !== centralSignature) {
      if (entries.length === 0) return { ok: false, error: 'ZIP central directory entry signature missing' };
      truncated = true;
      break;
    }
    const flags = u16(zip, at + 8) ?? 0;
    const method = u16(zip, at + 10) ?? 0;
    const compressed = u32(zip, at + 20) ?? 0;
    const uncompressed = u32(zip, at + 24) ?? 0;
    const nameLength = u16(zip, at + 28) ?? 0;
    const extraLength = u16(zip, at + 30) ?? 0;
    const commentLength = u16(zip, at + 32) ?? 0;
    const offset = u32(zip, at + 42) ?? 0;
    const nameStart = at + 46;
    if (nameStart + nameLength + extraLength > zip.length) {
      truncated = true;
      break;
    }
    const name = zip.toString('utf8', nameStart, nameStart + nameLength);
    const extra = zip.subarray(nameStart + nameLength, nameStart + nameLength + extraLength);
    const sizes = zip64Extra(extra, { uncompressed, compressed, offset });
    if (sizes !== undefined) {
      entries.push({
        name,
        method,
        flags,
        compressedSize: sizes.compressed,
        uncompressedSize: sizes.uncompressed,
        localHeaderOffset: sizes.offset + shift,
      });
    }
    at = nameStart + nameLength + extraLength + commentLength;
  }
  return { ok: true, entries, truncated };
}

/** Bytes a whole archive walk may inflate: shared by every member of every nested archive. */
export interface InflateBudget {
  remaining: number;
}

export type MemberContent =
  | { readonly ok: true; readonly content: Buffer }
  | { readonly ok: false; readonly reason: 'too_large' | 'unsupported' | 'corrupt' };

/**
 * The content of one member: a view into `zip` when stored, inflated when deflated. At most
 * `limit` bytes are produced and the budget is charged with what was; a member that would inflate
 * past either (a zip bomb, or a size field that lies) is refused without holding more than that.
 */
export function readZipMember(
  zip: Buffer,
  entry: ZipEntry,
  limit: number,
  budget: InflateBudget,
): MemberContent {
  if ((entry.flags & 1) !== 0) return { ok: false, reason: 'unsupported' };
  const at = entry.localHeaderOffset;
  if (u32(zip, at) !== localSignature) return { ok: false, reason: 'corrupt' };
  const nameLength = u16(zip, at + 26);
  const extraLength = u16(zip, at + 28);
  if (nameLength === undefined || extraLength === undefined) return { ok: false, reason: 'corrupt' };
  const dataStart = at + 30 + nameLength + extraLength;
  const dataEnd = dataStart + entry.compressedSize;
  if (dataEnd > zip.length) return { ok: false, reason: 'corrupt' };
  const data = zip.subarray(dataStart, dataEnd);
  if (entry.method === 0) {
    if (data.length > limit) return { ok: false, reason: 'too_large' };
    return { ok: true, content: data };
  }
  if (entry.method !== 8) return { ok: false, reason: 'unsupported' };
  const allowed = Math.min(limit, budget.remaining);
  if (entry.uncompressedSize > allowed) return { ok: false, reason: 'too_large' };
  try {
    // One byte more than the declared size: a member inflating past its declared size is refused.
    const content = inflateRawSync(data, {
      maxOutputLength: Math.max(1, Math.min(allowed, entry.uncompressedSize + 1)),
    });
    budget.remaining -= content.length;
    if (content.length > entry.uncompressedSize) return { ok: false, reason: 'too_large' };
    return { ok: true, content };
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, reason: 'too_large' };
    return { ok: false, reason: 'corrupt' };
  }
}
