import { unreadable, type DatabaseRead } from './database-read.ts';

const hashMagic = 0x061561;
const pageHeaderBytes = 26;
const offPageItemBytes = 12;
const pageType = { hashUnsorted: 2, overflow: 7, hashMeta: 8, hash: 13 } as const;
const itemType = { keyData: 1, offPage: 3 } as const;

type ItemRead =
  { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly reason: string };

/**
 * Reads every value of a Berkeley DB hash database, the format of rpm's `Packages` up to RHEL 8:
 * keys are header numbers, values are header blobs. Page layouts follow Berkeley DB 5.3's
 * `db_page.h` (https://github.com/berkeleydb/libdb/blob/v5.3.28/src/dbinc/db_page.h), read the way
 * rpm's read-only backend does (lib/backend/bdb_ro.c): a 512-byte metadata page (magic 0x061561,
 * version, page size, last page), then hash pages (P_HASH 13, or P_HASH_UNSORTED 2 from hash
 * version 8) holding key/data item pairs, each item inline (H_KEYDATA) or in a chain of overflow
 * pages (H_OFFPAGE → P_OVERFLOW pages linked by their next page number). Either byte order, as
 * the magic tells. Values come in page order. Record 0 (rpm's "next header number") is skipped.
 */
export function readBerkeleyDb(content: Uint8Array): DatabaseRead {
  if (content.length < 512) return unreadable('file is too short for a Berkeley DB metadata page');
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  const littleEndian = view.getUint32(12, true) === hashMagic;
  if (!littleEndian && view.getUint32(12, false) !== hashMagic)
    return unreadable('not a Berkeley DB hash database');
  const u32 = (offset: number): number => view.getUint32(offset, littleEndian);
  const u16 = (offset: number): number => view.getUint16(offset, littleEndian);

  const version = u32(16);
  const pageSize = u32(20);
  if (version < 8 || version > 10) return unreadable(`unsupported hash database version ${version}`);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    return unreadable(`invalid page size ${pageSize}`);
  }
  if (content[24] !== 0) return unreadable('encrypted Berkeley DB databases are not supported');
  if (content[25] !== pageType.hashMeta) return unreadable('page 0 is not a hash metadata page');

  const problems: string[] = [];
  const pagesInFile = Math.floor(content.length / pageSize);
  const declaredLastPage = u32(32);
  const lastPage = Math.min(declaredLastPage, pagesInFile - 1);
  if (declaredLastPage > lastPage) {
    problems.push(`database is truncated: last page ${declaredLastPage}, file holds ${pagesInFile} pages`);
  }
  /** Overflow pages already read: a page belongs to one item, so shared or looping chains are refused. */
  const overflowUsed = new Uint8Array(lastPage + 1);

  const readOverflow = (firstPage: number, totalLength: number): ItemRead => {
    if (totalLength === 0 || totalLength > content.length) {
      return { ok: false, reason: `overflow item length ${totalLength} is impossible` };
    }
    const bytes = new Uint8Array(totalLength);
    let filled = 0;
    let page = firstPage;
    while (filled < totalLength) {
      if (page < 1 || page > lastPage)
        return { ok: false, reason: `overflow chain leads to missing page ${page}` };
      if (overflowUsed[page]) return { ok: false, reason: `overflow page ${page} is used twice` };
      overflowUsed[page] = 1;
      const base = page * pageSize;
      if (content[base + 25] !== pageType.overflow || u32(base + 8) !== page) {
        return { ok: false, reason: `page ${page} is not an overflow page` };
      }
      const length = u16(base + 22);
      if (length === 0 || pageHeaderBytes + length > pageSize || length > totalLength - filled) {
        return { ok: false, reason: `overflow page ${page} holds a wrong length ${length}` };
      }
      bytes.set(content.subarray(base + pageHeaderBytes, base + pageHeaderBytes + length), filled);
      filled += length;
      page = u32(base + 16);
    }
    return { ok: true, bytes };
  };

  const readItem = (base: number, offset: number, length: number): ItemRead => {
    const type = content[base + offset];
    if (type === itemType.keyData)
      return { ok: true, bytes: content.subarray(base + offset + 1, base + offset + length) };
    if (type !== itemType.offPage) return { ok: false, reason: `unsupported item type ${type}` };
    if (length !== offPageItemBytes) return { ok: false, reason: `off-page item of ${length} bytes` };
    return readOverflow(u32(base + offset + 4), u32(base + offset + 8));
  };

  const blobs: Uint8Array[] = [];
  for (let page = 1; page <= lastPage; page++) {
    const base = page * pageSize;
    const type = content[base + 25];
    if (type !== pageType.hash && type !== pageType.hashUnsorted) continue;
    if (u32(base + 8) !== page) {
      problems.push(`page ${page} claims to be page ${u32(base + 8)}`);
      continue;
    }
    const entries = u16(base + 20);
    const indexEnd = pageHeaderBytes + 2 * entries;
    if (indexEnd > pageSize) {
      problems.push(`page ${page} claims ${entries} entries`);
      continue;
    }
    // Items fill the page from its end in index order, so each offset is below the previous one;
    // an item's length is the distance to its predecessor. Checked, this keeps items disjoint.
    let itemEnd = pageSize;
    for (let index = 0; index + 1 < entries; index += 2) {
      const keyOffset = u16(base + pageHeaderBytes + 2 * index);
      const valueOffset = u16(base + pageHeaderBytes + 2 * index + 2);
      if (keyOffset >= itemEnd || valueOffset >= keyOffset || valueOffset < indexEnd) {
        problems.push(`page ${page} entry ${index}: item offsets out of order`);
        break;
      }
      const key = readItem(base, keyOffset, itemEnd - keyOffset);
      const value = readItem(base, valueOffset, keyOffset - valueOffset);
      itemEnd = valueOffset;
      if (!key.ok || !value.ok) {
        const reasons = [key, value].flatMap((item) => (item.ok ? [] : [item.reason]));
        problems.push(`page ${page} entry ${index}: ${reasons.join('; ')}`);
        continue;
      }
      const isNextNumberRecord = key.bytes.length === 4 && key.bytes.every((byte) => byte === 0);
      if (!isNextNumberRecord) blobs.push(value.bytes);
    }
  }
  return { ok: true, blobs, problems };
}
