import { inflateRawSync } from 'node:zlib';

const endOfCentralDirectory = 0x06054b50;
const centralDirectoryHeader = 0x02014b50;
const localFileHeader = 0x04034b50;
/** The end record sits in the last 22 bytes plus a comment of at most 65535 bytes. */
const endSearch = 22 + 0xffff;

export type ZipMemberRead =
  | { readonly ok: true; readonly content: Buffer | undefined }
  | { readonly ok: false; readonly error: string };

/**
 * Reads one member of a ZIP archive held in memory (https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT,
 * sections 4.3.7, 4.3.12 and 4.3.16): finds the end of central directory record, looks the member up
 * in the central directory and inflates it (stored or deflated). `content` is `undefined` when the
 * archive has no such member. Every offset is checked against the buffer; ZIP64, encryption and other
 * compression methods are reported as errors; the inflated size is capped by `maxBytes`.
 */
export function readZipMember(zip: Buffer, member: string, maxBytes: number): ZipMemberRead {
  const end = findEndRecord(zip);
  if (end < 0) return { ok: false, error: 'not a ZIP archive: no end of central directory record' };
  const entries = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  for (let index = 0; index < entries; index++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== centralDirectoryHeader) {
      return { ok: false, error: 'damaged ZIP central directory' };
    }
    const method = zip.readUInt16LE(offset + 10);
    const flags = zip.readUInt16LE(offset + 8);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    if (offset + 46 + nameLength > zip.length) return { ok: false, error: 'damaged ZIP central directory' };
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (name !== member) continue;
    if ((flags & 0x1) !== 0) return { ok: false, error: `${member} is encrypted` };
    if (compressedSize === 0xffffffff || localOffset === 0xffffffff)
      return { ok: false, error: 'ZIP64 is not supported' };
    return extract(zip, member, method, localOffset, compressedSize, maxBytes);
  }
  return { ok: true, content: undefined };
}

function extract(
  zip: Buffer,
  member: string,
  method: number,
  localOffset: number,
  compressedSize: number,
  maxBytes: number,
): ZipMemberRead {
  if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== localFileHeader) {
    return { ok: false, error: `damaged local header of ${member}` };
  }
  const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
  if (start + compressedSize > zip.length)
    return { ok: false, error: `${member} runs past the end of the archive` };
  const data = zip.subarray(start, start + compressedSize);
  if (method === 0) {
    return data.length > maxBytes
      ? { ok: false, error: `${member} is too large` }
      : { ok: true, content: data };
  }
  if (method !== 8) return { ok: false, error: `${member} uses unsupported compression method ${method}` };
  try {
    return { ok: true, content: inflateRawSync(data, { maxOutputLength: maxBytes }) };
  } catch (error) {
    return {
      ok: false,
      error: `cannot inflate ${member}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

function findEndRecord(zip: Buffer): number {
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - endSearch); offset--) {
    if (zip.readUInt32LE(offset) === endOfCentralDirectory) return offset;
  }
  return -1;
}
