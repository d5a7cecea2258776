/**
 * A bounds-checked reader of ELF headers: section headers (with names) and program headers, for
 * 32- and 64-bit files of either byte order. Reads only what it is asked; never trusts an offset
 * or a size before checking it against the buffer.
 * https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.eheader.html
 */
export interface ElfSection {
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly address: number;
  readonly offset: number;
  readonly size: number;
}

export interface ElfSegment {
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly virtualAddress: number;
  readonly fileSize: number;
  readonly memorySize: number;
}

export interface ElfFile {
  readonly is64: boolean;
  readonly littleEndian: boolean;
  readonly sections: readonly ElfSection[];
  readonly segments: readonly ElfSegment[];
}

export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;
/** SHT_NOBITS: a section with no bytes in the file (.bss). */
export const SHT_NOBITS = 8;

/** More headers than this is no real executable; the rest are ignored. */
const maxHeaders = 65_535;

const elfMagic = [0x7f, 0x45, 0x4c, 0x46];

export function isElf(content: Buffer): boolean {
  return content.length >= 52 && elfMagic.every((byte, index) => content[index] === byte);
}

class Reader {
  readonly #content: Buffer;
  readonly #little: boolean;
  constructor(content: Buffer, little: boolean) {
    this.#content = content;
    this.#little = little;
  }
  u16(offset: number): number | undefined {
    if (offset < 0 || offset + 2 > this.#content.length) return undefined;
    return this.#little ? this.#content.readUInt16LE(offset) : this.#content.readUInt16BE(offset);
  }
  u32(offset: number): number | undefined {
    if (offset < 0 || offset + 4 > this.#content.length) return undefined;
    return this.#little ? this.#content.readUInt32LE(offset) : this.#content.readUInt32BE(offset);
  }
  /** A 64-bit value as a number; undefined past 2^53 (no file here is that large). */
  u64(offset: number): number | undefined {
    if (offset < 0 || offset + 8 > this.#content.length) return undefined;
    const value = this.#little
      ? this.#content.readBigUInt64LE(offset)
      : this.#content.readBigUInt64BE(offset);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  }
}

function sectionName(content: Buffer, table: ElfSection | undefined, offset: number): string {
  if (table === undefined || table.type === SHT_NOBITS || offset >= table.size) return '';
  const start = table.offset + offset;
  const limit = Math.min(table.offset + table.size, content.length, start + 256);
  if (start >= limit) return '';
  const end = content.indexOf(0, start);
  return content.toString('latin1', start, end < 0 || end > limit ? limit : end);
}

/** The ELF headers of `content`, or undefined when it is no ELF file or its headers are cut off. */
export function readElf(content: Buffer): ElfFile | undefined {
  if (!isElf(content)) return undefined;
  const elfClass = content[4];
  const data = content[5];
  if ((elfClass !== 1 && elfClass !== 2) || (data !== 1 && data !== 2)) return undefined;
  const is64 = elfClass === 2;
  const reader = new Reader(content, data === 1);
  const word = (offset: number): number | undefined => (is64 ? reader.u64(offset) : reader.u32(offset));
  const phoff = word(is64 ? 32 : 28);
  const shoff = word(is64 ? 40 : 32);
  const phentsize = reader.u16(is64 ? 54 : 42);
  const phnum = reader.u16(is64 ? 56 : 44);
  const shentsize = reader.u16(is64 ? 58 : 46);
  let shnum = reader.u16(is64 ? 60 : 48);
  const shstrndx = reader.u16(is64 ? 62 : 50);
  if (phoff === undefined || shoff === undefined || phentsize === undefined || phnum === undefined)
    return undefined;
  if (shentsize === undefined || shnum === undefined || shstrndx === undefined) return undefined;

  const segments: ElfSegment[] = [];
  if (phentsize >= (is64 ? 56 : 32)) {
    for (let i = 0; i < Math.min(phnum, maxHeaders); i++) {
      const at = phoff + i * phentsize;
      const type = reader.u32(at);
      const flags = reader.u32(is64 ? at + 4 : at + 24);
      const offset = word(is64 ? at + 8 : at + 4);
      const virtualAddress = word(is64 ? at + 16 : at + 8);
      const fileSize = word(is64 ? at + 32 : at + 16);
      const memorySize = word(is64 ? at + 40 : at + 20);
      if (type === undefined || flags === undefined || offset === undefined || virtualAddress === undefined)
        break;
      if (fileSize === undefined || memorySize === undefined) break;
      segments.push({ type, flags, offset, virtualAddress, fileSize, memorySize });
    }
  }

  const raw: ElfSection[] = [];
  const nameOffsets: number[] = [];
  if (shoff !== 0 && shentsize >= (is64 ? 64 : 40)) {
    // Extended numbering: with 0 sections in the header, section 0's size holds the count.
    if (shnum === 0) shnum = (is64 ? reader.u64(shoff + 32) : reader.u32(shoff + 20)) ?? 0;
    for (let i = 0; i < Math.min(shnum, maxHeaders); i++) {
      const at = shoff + i * shentsize;
      const nameOffset = reader.u32(at);
      const type = reader.u32(at + 4);
      const flags = word(at + 8);
      const address = word(is64 ? at + 16 : at + 12);
      const offset = word(is64 ? at + 24 : at + 16);
      const size = word(is64 ? at + 32 : at + 20);
      if (nameOffset === undefined || type === undefined || flags === undefined || address === undefined)
        break;
      if (offset === undefined || size === undefined) break;
      nameOffsets.push(nameOffset);
      raw.push({ name: '', type, flags, address, offset, size });
    }
  }
  const table = raw[shstrndx];
  const sections = raw.map((section, index) => ({
    ...section,
    name: sectionName(content, table, nameOffsets[index] ?? 0),
  }));
  return { is64, littleEndian: data === 1, sections, segments };
}

/** The file bytes of a section, clamped to the file; undefined for a section with no bytes in it. */
export function sectionContent(content: Buffer, section: ElfSection): Buffer | undefined {
  if (section.type === SHT_NOBITS || section.offset >= content.length) return undefined;
  return content.subarray(section.offset, Math.min(content.length, section.offset + section.size));
}

/**
 * The file bytes behind a virtual address range, from the loadable segment that maps it; undefined
 * when no segment maps the whole range from file bytes.
 */
export function readVirtual(
  content: Buffer,
  elf: ElfFile,
  address: number,
  length: number,
): Buffer | undefined {
  for (const segment of elf.segments) {
    if (segment.type !== PT_LOAD) continue;
    if (address < segment.virtualAddress || address + length > segment.virtualAddress + segment.fileSize)
      continue;
    const start = segment.offset + (address - segment.virtualAddress);
    if (start + length > content.length) return undefined;
    return content.subarray(start, start + length);
  }
  return undefined;
}
