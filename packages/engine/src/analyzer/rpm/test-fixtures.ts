/**
 * Builders for tests: rpm header blobs and ndb databases written byte by byte from the formats the
 * readers implement (header: https://rpm-software-management.github.io/rpm/manual/format_header.html;
 * ndb: rpm's lib/backend/ndb/rpmpkg.c). Not used by the analyzer.
 */
import { rpmTag, rpmType, type RpmType } from './rpm-tags.ts';

export interface FixtureEntry {
  readonly tag: number;
  readonly type: RpmType;
  /** Strings for the string types, numbers for INT32, bytes for BIN. */
  readonly value: string | readonly string[] | readonly number[] | Uint8Array;
}

const alignment: Partial<Record<RpmType, number>> = {
  [rpmType.int16]: 2,
  [rpmType.int32]: 4,
  [rpmType.int64]: 8,
};

function dataOf(entry: FixtureEntry): { readonly bytes: Buffer; readonly count: number } {
  const { value } = entry;
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value), count: value.length };
  if (typeof value === 'string') return { bytes: Buffer.from(`${value}\0`), count: 1 };
  if (entry.type === rpmType.int32) {
    const bytes = Buffer.alloc(value.length * 4);
    value.forEach((number, index) => bytes.writeUInt32BE(Number(number), index * 4));
    return { bytes, count: value.length };
  }
  return { bytes: Buffer.from(value.map((text) => `${String(text)}\0`).join('')), count: value.length };
}

/**
 * A header blob as rpm stores it in its databases: with an immutable region around all entries
 * (as rpm ≥ 4 writes) unless `region` is false (a legacy v3 header).
 */
export function buildHeaderBlob(
  entries: readonly FixtureEntry[],
  options: { readonly region?: boolean } = {},
): Buffer {
  const region = options.region ?? true;
  const chunks: Buffer[] = [];
  const index: Buffer[] = [];
  let length = 0;
  const indexEntry = (tag: number, type: number, offset: number, count: number): Buffer => {
    const bytes = Buffer.alloc(16);
    bytes.writeUInt32BE(tag, 0);
    bytes.writeUInt32BE(type, 4);
    bytes.writeInt32BE(offset, 8);
    bytes.writeUInt32BE(count, 12);
    return bytes;
  };
  for (const entry of entries) {
    const align = alignment[entry.type] ?? 1;
    const padding = (align - (length % align)) % align;
    if (padding) chunks.push(Buffer.alloc(padding));
    length += padding;
    const { bytes, count } = dataOf(entry);
    index.push(indexEntry(entry.tag, entry.type, length, count));
    chunks.push(bytes);
    length += bytes.length;
  }
  if (region) {
    const entryCount = entries.length + 1;
    index.unshift(indexEntry(rpmTag.headerImmutable, rpmType.bin, length, 16));
    chunks.push(indexEntry(rpmTag.headerImmutable, rpmType.bin, -entryCount * 16, 16));
    length += 16;
  }
  const preamble = Buffer.alloc(8);
  preamble.writeUInt32BE(index.length, 0);
  preamble.writeUInt32BE(length, 4);
  return Buffer.concat([preamble, ...index, ...chunks]);
}

export interface FixturePackage {
  readonly name: string;
  readonly version?: string;
  readonly release?: string;
  readonly epoch?: number;
  readonly arch?: string;
  readonly sourceRpm?: string;
  readonly license?: string;
  readonly vendor?: string;
  readonly modularityLabel?: string;
  /** Absolute paths, split into DIRNAMES / BASENAMES / DIRINDEXES as rpm does. */
  readonly files?: readonly string[];
}

/** The header blob of a package with the given fields. */
export function buildPackageBlob(pkg: FixturePackage): Buffer {
  const entries: FixtureEntry[] = [];
  const text = (tag: number, value: string | undefined): void => {
    if (value !== undefined) entries.push({ tag, type: rpmType.string, value });
  };
  text(rpmTag.name, pkg.name);
  text(rpmTag.version, pkg.version ?? '1.0');
  text(rpmTag.release, pkg.release ?? '1');
  if (pkg.epoch !== undefined) entries.push({ tag: rpmTag.epoch, type: rpmType.int32, value: [pkg.epoch] });
  entries.push({ tag: rpmTag.summary, type: rpmType.i18nString, value: [`${pkg.name} summary`] });
  entries.push({ tag: rpmTag.size, type: rpmType.int32, value: [1234] });
  text(rpmTag.vendor, pkg.vendor);
  text(rpmTag.license, pkg.license);
  text(rpmTag.arch, pkg.arch);
  text(rpmTag.sourceRpm, pkg.sourceRpm);
  if (pkg.files?.length) {
    const dirNames: string[] = [];
    const dirIndexes: number[] = [];
    const baseNames: string[] = [];
    for (const file of pkg.files) {
      const slash = file.lastIndexOf('/');
      const dir = file.slice(0, slash + 1);
      if (!dirNames.includes(dir)) dirNames.push(dir);
      dirIndexes.push(dirNames.indexOf(dir));
      baseNames.push(file.slice(slash + 1));
    }
    entries.push({ tag: rpmTag.dirIndexes, type: rpmType.int32, value: dirIndexes });
    entries.push({ tag: rpmTag.baseNames, type: rpmType.stringArray, value: baseNames });
    entries.push({ tag: rpmTag.dirNames, type: rpmType.stringArray, value: dirNames });
  }
  text(rpmTag.modularityLabel, pkg.modularityLabel);
  return buildHeaderBlob(entries);
}

/** An ndb `Packages.db` holding the blobs in slot order, one slot page. */
export function buildNdb(blobs: readonly Uint8Array[]): Buffer {
  const page = Buffer.alloc(4096);
  page.write('RpmP', 0, 'latin1');
  page.writeUInt32LE(0, 4);
  page.writeUInt32LE(1, 8);
  page.writeUInt32LE(1, 12);
  page.writeUInt32LE(blobs.length + 1, 16);
  for (let offset = 32; offset < 4096; offset += 16) page.write('Slot', offset, 'latin1');
  const data: Buffer[] = [];
  let block = 4096 / 16;
  blobs.forEach((blob, index) => {
    const blocks = Math.ceil((16 + blob.length + 12) / 16);
    const stored = Buffer.alloc(blocks * 16);
    stored.write('BlbS', 0, 'latin1');
    stored.writeUInt32LE(index + 1, 4);
    stored.writeUInt32LE(1700000000, 8);
    stored.writeUInt32LE(blob.length, 12);
    Buffer.from(blob).copy(stored, 16);
    stored.writeUInt32LE(0, stored.length - 12);
    stored.writeUInt32LE(blob.length, stored.length - 8);
    stored.write('BlbE', stored.length - 4, 'latin1');
    const slot = 32 + index * 16;
    page.writeUInt32LE(index + 1, slot + 4);
    page.writeUInt32LE(block, slot + 8);
    page.writeUInt32LE(blocks, slot + 12);
    data.push(stored);
    block += blocks;
  });
  return Buffer.concat([page, ...data]);
}
