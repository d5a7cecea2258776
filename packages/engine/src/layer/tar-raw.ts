/**
 * Test support: tar archives written block by block, for the formats and damage a packer will not
 * produce (GNU long names and sparse headers, base-256 sizes, v7 headers, signed checksums, pax
 * records of any shape). Layouts as in https://www.gnu.org/software/tar/manual/html_node/Standard.html.
 * Not imported by production code.
 */

export type RawFormat = 'ustar' | 'gnu' | 'v7';

export interface RawHeader {
  readonly name: string;
  readonly typeflag?: string;
  readonly size?: number;
  /** Written as is into the 12-byte size field instead of `size` in octal (a base-256 size, garbage). */
  readonly sizeField?: Buffer;
  readonly mode?: number;
  readonly linkName?: string;
  readonly format?: RawFormat;
  /** ustar only. */
  readonly prefix?: string;
  /** GNU sparse ('S'): the real size, and whether extension blocks follow. */
  readonly realSize?: number;
  readonly isExtended?: boolean;
  /** Bytes written over the block after everything else, before the checksum (field damage). */
  readonly patch?: readonly { readonly offset: number; readonly bytes: Buffer }[];
  /** `signed` sums bytes as signed chars (old tars); `bad` stores a wrong sum. */
  readonly checksum?: 'unsigned' | 'signed' | 'bad';
}

export function rawHeader(header: RawHeader): Buffer {
  const block = Buffer.alloc(512);
  block.write(header.name, 0, 100, 'utf8');
  block.write(octal(header.mode ?? 0o644, 7), 100, 'ascii');
  block.write(octal(0, 7), 108, 'ascii');
  block.write(octal(0, 7), 116, 'ascii');
  if (header.sizeField !== undefined) header.sizeField.copy(block, 124, 0, 12);
  else block.write(octal(header.size ?? 0, 11), 124, 'ascii');
  block.write(octal(0, 11), 136, 'ascii');
  block.write(header.typeflag ?? '0', 156, 'latin1');
  block.write(header.linkName ?? '', 157, 100, 'utf8');
  const format = header.format ?? 'ustar';
  if (format === 'ustar') {
    block.write('ustar\u000000', 257, 'latin1');
    block.write(header.prefix ?? '', 345, 155, 'utf8');
  } else if (format === 'gnu') {
    block.write('ustar  \u0000', 257, 'latin1');
    if (header.realSize !== undefined) block.write(octal(header.realSize, 11), 483, 'ascii');
    if (header.isExtended === true) block[482] = 1;
  }
  for (const { offset, bytes } of header.patch ?? []) bytes.copy(block, offset);
  writeChecksum(block, header.checksum ?? 'unsigned');
  return block;
}

function octal(value: number, digits: number): string {
  return `${value.toString(8).padStart(digits, '0')}\u0000`;
}

function writeChecksum(block: Buffer, kind: 'unsigned' | 'signed' | 'bad'): void {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) {
    const byte = block[i] ?? 0;
    sum += kind === 'signed' && byte > 127 ? byte - 256 : byte;
  }
  if (kind === 'bad') sum += 1;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'ascii');
}

/** Content padded to whole blocks. */
export function dataBlocks(content: string | Buffer): Buffer {
  const data = typeof content === 'string' ? Buffer.from(content) : content;
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return padded;
}

/** A pax record, `"%d %s=%s\n"` with the length counting itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyBytes = Buffer.byteLength(body);
  let length = bodyBytes + 1;
  while (String(length).length + bodyBytes !== length) length++;
  return `${length}${body}`;
}

/** An extended header (`x`, `g`, GNU `L` or `K`) and its data blocks. */
export function extendedHeader(typeflag: 'x' | 'g' | 'L' | 'K', data: string | Buffer): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const format = typeflag === 'L' || typeflag === 'K' ? 'gnu' : 'ustar';
  const name = format === 'gnu' ? '././@LongLink' : 'PaxHeaders/entry';
  return Buffer.concat([rawHeader({ name, typeflag, size: bytes.length, format }), dataBlocks(bytes)]);
}

/** A regular file entry: header and padded content. */
export function rawFile(name: string, content: string | Buffer, header: Partial<RawHeader> = {}): Buffer {
  const data = typeof content === 'string' ? Buffer.from(content) : content;
  return Buffer.concat([rawHeader({ name, size: data.length, ...header }), dataBlocks(data)]);
}

export const endMarker = Buffer.alloc(1024);

/** A 12-byte GNU base-256 size field. */
export function base256(value: bigint): Buffer {
  const field = Buffer.alloc(12);
  let rest = value;
  for (let i = 11; i > 0; i--) {
    field[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  field[0] = 0x80;
  return field;
}
