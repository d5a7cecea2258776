import { rpmTag, rpmType } from './rpm-tags.ts';

/** Bytes per element of each data type; -1 for the NUL-terminated string types, 0 for NULL. */
const typeSizes: readonly number[] = [0, 1, 1, 2, 4, 8, -1, 1, -1, -1];
/** Alignment of each data type's offset in the data store. */
const typeAlign: readonly number[] = [1, 1, 1, 2, 4, 8, 1, 1, 1, 1];

/** rpm's sanity limits (`HEADER_TAGS_MAX`, `HEADER_DATA_MAX` in lib/header.c). */
const maxIndexEntries = 0xffff;
const maxDataLength = 0x0fffffff;
const indexEntryBytes = 16;
const regionTrailerBytes = 16;

/** One validated index entry: its data lies in `[start, end)` of the header's data store. */
export interface HeaderEntry {
  readonly tag: number;
  readonly type: number;
  readonly count: number;
  readonly start: number;
  readonly end: number;
}

export interface RpmHeader {
  /** The data store that follows the index. */
  readonly store: Uint8Array;
  /** Entries by tag; an entry after the region (a "dribble") replaces the region's entry of the same tag, as in rpm. */
  readonly entries: ReadonlyMap<number, HeaderEntry>;
}

export type HeaderResult =
  { readonly ok: true; readonly header: RpmHeader } | { readonly ok: false; readonly reason: string };

function fail(reason: string): HeaderResult {
  return { ok: false, reason };
}

/** Length of `count` NUL-terminated strings from `start`, terminators included; -1 when they overrun `store`. */
function stringsLength(store: Uint8Array, start: number, count: number): number {
  let position = start;
  for (let remaining = count; remaining > 0; remaining--) {
    if (position >= store.length) return -1;
    const nul = store.indexOf(0, position);
    if (nul < 0) return -1;
    position = nul + 1;
  }
  return position - start;
}

/** Bytes of data an entry covers, or -1 when it does not fit (rpm's `dataLength` for on-disk data). */
function dataLength(store: Uint8Array, type: number, start: number, count: number): number {
  if (type === rpmType.string) return count === 1 ? stringsLength(store, start, 1) : -1;
  if (type === rpmType.stringArray || type === rpmType.i18nString) return stringsLength(store, start, count);
  const size = typeSizes[type] ?? 0;
  const length = size * count;
  return start + length > store.length ? -1 : length;
}

/**
 * Checks the region entry that opens a v4 header: type BIN, count 16, and a trailer inside the
 * store that names the region and spans at most the whole index (rpm's `hdrblobVerifyRegion`).
 */
function regionProblem(
  view: DataView,
  storeLength: number,
  storeOffset: number,
  indexCount: number,
): string | undefined {
  const type = view.getUint32(12);
  const offset = view.getInt32(16);
  const count = view.getUint32(20);
  if (type !== rpmType.bin || count !== regionTrailerBytes) return 'region entry is not a 16-byte BIN';
  if (offset < 0 || offset + regionTrailerBytes > storeLength)
    return 'region trailer lies outside the data store';
  const trailerTag = view.getUint32(storeOffset + offset);
  const trailerOffset = view.getInt32(storeOffset + offset + 8);
  if (trailerTag < rpmTag.headerImage || trailerTag > rpmTag.headerImmutable)
    return 'region trailer has no region tag';
  const regionEntries = -trailerOffset / indexEntryBytes;
  if (!Number.isInteger(regionEntries) || regionEntries < 1 || regionEntries > indexCount) {
    return 'region trailer spans a wrong number of entries';
  }
  return undefined;
}

/**
 * Parses a header blob as the rpm database stores it: the header structure of
 * https://rpm-software-management.github.io/rpm/manual/format_header.html without its 8-byte
 * magic, that is a big-endian index count and data length, the 16-byte index entries
 * `{tag, type, offset, count}`, then the data store. Every entry is checked the way rpm's
 * `hdrblobVerifyInfo` (lib/header.c) does: known type, aligned offset, data inside the store,
 * entries in offset order without overlap (which also bounds the work to one pass over the store).
 */
export function parseHeaderBlob(blob: Uint8Array): HeaderResult {
  if (blob.length < 8) return fail(`header blob of ${blob.length} bytes is shorter than its preamble`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const indexCount = view.getUint32(0);
  const dataLengthTotal = view.getUint32(4);
  if (indexCount < 1 || indexCount > maxIndexEntries)
    return fail(`header index count ${indexCount} is out of range`);
  if (dataLengthTotal > maxDataLength) return fail(`header data length ${dataLengthTotal} is out of range`);
  const storeOffset = 8 + indexCount * indexEntryBytes;
  if (storeOffset + dataLengthTotal !== blob.length) {
    return fail(`header blob is ${blob.length} bytes but its preamble says ${storeOffset + dataLengthTotal}`);
  }
  const store = blob.subarray(storeOffset);
  const firstTag = view.getUint32(8);
  const hasRegion = firstTag >= rpmTag.headerImage && firstTag <= rpmTag.headerImmutable;
  if (hasRegion) {
    const problem = regionProblem(view, dataLengthTotal, storeOffset, indexCount);
    if (problem) return fail(problem);
  }

  const entries = new Map<number, HeaderEntry>();
  let previousEnd = 0;
  for (let index = hasRegion ? 1 : 0; index < indexCount; index++) {
    const at = 8 + index * indexEntryBytes;
    const tag = view.getUint32(at);
    const type = view.getUint32(at + 4);
    const start = view.getInt32(at + 8);
    const count = view.getUint32(at + 12);
    const where = `entry ${index} (tag ${tag}, type ${type}, offset ${start}, count ${count})`;
    if (start < previousEnd) return fail(`${where} overlaps the previous entry's data`);
    if (tag < rpmTag.headerI18nTable) return fail(`${where} uses a reserved tag`);
    if (type > rpmType.i18nString) return fail(`${where} has an unknown type`);
    if (start > dataLengthTotal) return fail(`${where} starts outside the data store`);
    if (start % (typeAlign[type] ?? 1) !== 0) return fail(`${where} is misaligned`);
    const length = dataLength(store, type, start, count);
    if (length <= 0) return fail(`${where} does not fit in the data store`);
    previousEnd = start + length;
    entries.set(tag, { tag, type, count, start, end: previousEnd });
  }
  return { ok: true, header: { store, entries } };
}

const utf8 = new TextDecoder('utf-8');

/** The strings of a STRING, STRING_ARRAY or I18NSTRING entry (invalid UTF-8 becomes U+FFFD). */
export function headerStrings(header: RpmHeader, tag: number): readonly string[] | undefined {
  const entry = header.entries.get(tag);
  if (!entry) return undefined;
  if (
    entry.type !== rpmType.string &&
    entry.type !== rpmType.stringArray &&
    entry.type !== rpmType.i18nString
  ) {
    return undefined;
  }
  return utf8.decode(header.store.subarray(entry.start, entry.end - 1)).split('\0');
}

/** A single string: a STRING entry, or the first string of an array (rpm's choice for the C locale). */
export function headerString(header: RpmHeader, tag: number): string | undefined {
  return headerStrings(header, tag)?.[0];
}

/** The values of an INT32 entry, read as unsigned. */
export function headerUint32s(header: RpmHeader, tag: number): readonly number[] | undefined {
  const entry = header.entries.get(tag);
  if (!entry || entry.type !== rpmType.int32) return undefined;
  const view = new DataView(
    header.store.buffer,
    header.store.byteOffset + entry.start,
    entry.end - entry.start,
  );
  return Array.from({ length: entry.count }, (_, index) => view.getUint32(index * 4));
}

/** The bytes of a BIN entry. */
export function headerBytes(header: RpmHeader, tag: number): Uint8Array | undefined {
  const entry = header.entries.get(tag);
  if (!entry || entry.type !== rpmType.bin) return undefined;
  return header.store.subarray(entry.start, entry.end);
}
