import { PF_W, PF_X, PT_LOAD, readElf, readVirtual, sectionContent, type ElfFile } from './elf.ts';

/**
 * The build information the Go linker embeds in every executable since Go 1.13: the Go version and
 * the module information text. Located and decoded as Go's own `debug/buildinfo` does
 * (https://go.dev/src/debug/buildinfo/buildinfo.go), for ELF files.
 */
export interface GoBuildInfoBlob {
  /** `runtime.buildVersion`, for example `go1.21.5` or `go1.22.3 X:nocoverageredesign`. */
  readonly goVersion: string;
  /** `runtime.modinfo` without its framing; empty for a binary built outside module mode. */
  readonly modinfo: string;
}

export type BuildInfoResult =
  | { readonly kind: 'found'; readonly info: GoBuildInfoBlob }
  /** No ELF file, or no Go build information in it: not a Go executable. */
  | { readonly kind: 'absent' }
  /** The magic is there but the blob cannot be decoded. */
  | { readonly kind: 'malformed'; readonly reason: string };

const magic = Buffer.from('\xff Go buildinf:', 'latin1');
const align = 16;
const headerSize = 32;
/** How much of the data segment is searched when the .go.buildinfo section is gone (Go reads 64 KiB). */
const segmentSearchBytes = 1024 * 1024;
/** Longest version or modinfo string accepted: real modinfo of large programs is well under 1 MiB. */
const maxStringBytes = 8 * 1024 * 1024;

/**
 * Where the blob lives: the `.go.buildinfo` section, or, with section headers stripped, the first
 * writable, non-executable loadable segment (what Go's `DataStart` falls back to).
 */
function searchRegion(content: Buffer, elf: ElfFile): Buffer | undefined {
  const section = elf.sections.find((candidate) => candidate.name === '.go.buildinfo');
  if (section !== undefined) return sectionContent(content, section);
  const segment = elf.segments.find(
    (candidate) => candidate.type === PT_LOAD && (candidate.flags & (PF_X | PF_W)) === PF_W,
  );
  if (segment === undefined || segment.offset >= content.length) return undefined;
  const length = Math.min(segment.fileSize, segmentSearchBytes, content.length - segment.offset);
  return content.subarray(segment.offset, segment.offset + length);
}

/** The 16-byte aligned blob header within `region`, as Go's search finds it. */
function findHeader(region: Buffer): Buffer | undefined {
  let from = 0;
  for (;;) {
    const index = region.indexOf(magic, from);
    if (index < 0 || region.length - index < headerSize) return undefined;
    if (index % align === 0) return region.subarray(index);
    from = index + 1;
  }
}

/** An unsigned LEB128 varint, as Go's `binary.Uvarint`; undefined when cut off or over 2^53. */
function uvarint(data: Buffer, at: number): { readonly value: number; readonly next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = at; i < data.length && i < at + 8; i++) {
    const byte = data[i] ?? 0;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return { value, next: i + 1 };
    scale *= 128;
  }
  return undefined;
}

/** The Go ≥ 1.18 layout: varint-length strings right after the header. */
function inlineStrings(header: Buffer): readonly [Buffer, Buffer] | undefined {
  const strings: Buffer[] = [];
  let at = headerSize;
  for (let i = 0; i < 2; i++) {
    const length = uvarint(header, at);
    if (length === undefined || length.value > maxStringBytes || length.next + length.value > header.length)
      return undefined;
    strings.push(header.subarray(length.next, length.next + length.value));
    at = length.next + length.value;
  }
  const [version, modinfo] = strings;
  return version === undefined || modinfo === undefined ? undefined : [version, modinfo];
}

/**
 * The Go 1.13–1.17 layout: two pointers to Go string headers (data pointer, length) in the
 * binary's memory image, with the pointer size and byte order given in the header.
 */
function pointerStrings(
  content: Buffer,
  elf: ElfFile,
  header: Buffer,
): readonly [Buffer, Buffer] | undefined {
  const pointerSize = header[14];
  if (pointerSize !== 4 && pointerSize !== 8) return undefined;
  const bigEndian = header[15] !== 0;
  const readPointer = (bytes: Buffer, at: number): number | undefined => {
    if (at + pointerSize > bytes.length) return undefined;
    if (pointerSize === 4) return bigEndian ? bytes.readUInt32BE(at) : bytes.readUInt32LE(at);
    const value = bigEndian ? bytes.readBigUInt64BE(at) : bytes.readBigUInt64LE(at);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  };
  const readString = (address: number | undefined): Buffer | undefined => {
    if (address === undefined) return undefined;
    const stringHeader = readVirtual(content, elf, address, 2 * pointerSize);
    if (stringHeader === undefined) return undefined;
    const data = readPointer(stringHeader, 0);
    const length = readPointer(stringHeader, pointerSize);
    if (data === undefined || length === undefined || length > maxStringBytes) return undefined;
    if (length === 0) return Buffer.alloc(0);
    return readVirtual(content, elf, data, length);
  };
  const version = readString(readPointer(header, 16));
  const modinfo = readString(readPointer(header, 16 + pointerSize));
  return version === undefined || modinfo === undefined ? undefined : [version, modinfo];
}

/**
 * The modinfo text is framed by two 16-byte sentinels (cmd/go's infoStart/infoEnd); Go strips them
 * when the text is long enough and ends in a newline before the end sentinel, and otherwise treats
 * the module information as absent.
 */
function unframe(modinfo: Buffer): string {
  if (modinfo.length >= 33 && modinfo[modinfo.length - 17] === 0x0a)
    return modinfo.toString('utf8', 16, modinfo.length - 16);
  return '';
}

/** Finds and decodes the Go build information of an ELF executable. */
export function readGoBuildInfo(content: Buffer): BuildInfoResult {
  const elf = readElf(content);
  if (elf === undefined) return { kind: 'absent' };
  const region = searchRegion(content, elf);
  const header = region === undefined ? undefined : findHeader(region);
  if (header === undefined) return { kind: 'absent' };
  const flags = header[15] ?? 0;
  const strings = (flags & 2) !== 0 ? inlineStrings(header) : pointerStrings(content, elf, header);
  if (strings === undefined) return { kind: 'malformed', reason: 'Go build information cannot be decoded' };
  const goVersion = strings[0].toString('utf8');
  const modinfo = strings[1];
  if (goVersion === '') return { kind: 'malformed', reason: 'Go build information has no Go version' };
  return { kind: 'found', info: { goVersion, modinfo: unframe(modinfo) } };
}
