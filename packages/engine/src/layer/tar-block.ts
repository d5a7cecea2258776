/**
 * Decoding of one 512-byte tar header block, read in place from whatever buffer holds it: field
 * layout of POSIX ustar (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_06)
 * and its GNU and v7 relatives (https://www.gnu.org/software/tar/manual/html_node/Standard.html).
 * Every failure is a DrydockError `malformed_image` / `corrupt_tar`.
 */
import { DrydockError } from '../util/errors.ts';

export const blockSize = 512;

/** Byte offsets of the header fields used here (ustar layout, GNU extras last). */
export const field = {
  name: 0,
  mode: 100,
  size: 124,
  checksum: 148,
  typeflag: 156,
  linkName: 157,
  magic: 257,
  prefix: 345,
  /** GNU 'S': more sparse map entries follow in extension blocks. */
  gnuIsExtended: 482,
  /** GNU 'S': the file's size before its holes were dropped. */
  gnuRealSize: 483,
  /** Extension block of a GNU sparse header: more extension blocks follow. */
  sparseExtensionIsExtended: 504,
} as const;

export function corruptTar(message: string): DrydockError {
  return new DrydockError('malformed_image', `the layer is not a valid tar: ${message}`, {
    reason: 'corrupt_tar',
  });
}

const SPACE = 0x20;
const ZERO = 0x30;
const SEVEN = 0x37;

/** What a block holds at a header position. */
export type BlockKind = 'header' | 'zero';

/**
 * Checks a header block's checksum: the sum of its bytes with the checksum field read as spaces,
 * as unsigned bytes (POSIX) or signed ones (some old tars); an all-zero block is an end marker.
 * `words`, when given, views the same memory as `buffer` as 32-bit words (from byte 0 of `buffer`):
 * an aligned block is then summed a word at a time.
 */
export function checkBlock(buffer: Uint8Array, offset: number, words?: Int32Array): BlockKind {
  const sum =
    words !== undefined && (offset & 3) === 0 ? wordSum(words, offset >>> 2) : byteSum(buffer, offset);
  if (sum === 0) return 'zero';
  const checksumStart = offset + field.checksum;
  let fieldSum = 0;
  for (let i = checksumStart; i < checksumStart + 8; i++) fieldSum += buffer[i] as number;
  const stored = parseOctal(buffer, checksumStart, 8);
  if (stored < 0) throw corruptTar('a header has an unreadable checksum');
  if (stored === sum - fieldSum + 8 * SPACE || stored === signedSum(buffer, offset)) return 'header';
  throw corruptTar('a header checksum does not match');
}

function byteSum(buffer: Uint8Array, offset: number): number {
  let sum = 0;
  for (let i = offset; i < offset + blockSize; i++) sum += buffer[i] as number;
  return sum;
}

/** 128 words, each adding its four bytes in two 16-bit lanes (at most 128 * 2 * 255 per lane: no carry). */
function wordSum(words: Int32Array, start: number): number {
  let even = 0;
  let odd = 0;
  for (let i = start; i < start + blockSize / 4; i++) {
    const word = words[i] as number;
    even += word & 0x00ff00ff;
    odd += (word >>> 8) & 0x00ff00ff;
  }
  return (even & 0xffff) + (even >>> 16) + (odd & 0xffff) + (odd >>> 16);
}

/** The checksum as old tars computed it, with bytes as signed chars. */
function signedSum(buffer: Uint8Array, offset: number): number {
  let sum = 0;
  for (let i = offset; i < offset + blockSize; i++) {
    const inField = i >= offset + field.checksum && i < offset + field.checksum + 8;
    const byte = inField ? SPACE : (buffer[i] as number);
    sum += byte > 127 ? byte - 256 : byte;
  }
  return sum;
}

/**
 * An octal number as tar writes it: optional leading spaces, digits, then a space or NUL (the rest
 * of the field is ignored, as GNU tar does); a field of only spaces and NULs is 0. -1 when invalid.
 */
export function parseOctal(buffer: Uint8Array, offset: number, length: number): number {
  const end = offset + length;
  let i = offset;
  while (i < end && buffer[i] === SPACE) i++;
  let value = 0;
  for (; i < end; i++) {
    const byte = buffer[i] as number;
    if (byte < ZERO || byte > SEVEN) break;
    value = value * 8 + (byte - ZERO);
  }
  if (i === end) return value;
  const terminator = buffer[i];
  return terminator === 0 || terminator === SPACE ? value : -1;
}

/**
 * A size field: octal, or GNU base-256 (high bit of the first byte set, big-endian two's
 * complement) for sizes of 8 GiB and more. Negative or unsafe values are corrupt.
 */
export function parseSize(buffer: Uint8Array, offset: number, length: number): number {
  const first = buffer[offset] as number;
  if ((first & 0x80) === 0) {
    const value = parseOctal(buffer, offset, length);
    if (value < 0) throw corruptTar('a header has an unreadable size');
    return value;
  }
  if ((first & 0x40) !== 0) throw corruptTar('a header has a negative size');
  let value = first & 0x3f;
  for (let i = offset + 1; i < offset + length; i++) {
    value = value * 256 + (buffer[i] as number);
    if (value > Number.MAX_SAFE_INTEGER) throw corruptTar('a header has an impossible size');
  }
  return value;
}

/** The mode's bits; a mode tar cannot read is 0 (the entry is kept: its mode decides no structure). */
export function parseMode(buffer: Uint8Array, offset: number): number {
  const value = parseOctal(buffer, offset + field.mode, 8);
  return value < 0 ? 0 : value & 0o7777777;
}

/** A NUL-terminated string field (or one filling its whole width), decoded as UTF-8. */
export function parseString(buffer: Buffer, offset: number, length: number): string {
  const end = offset + length;
  let i = offset;
  while (i < end && buffer[i] !== 0) i++;
  return i === offset ? '' : buffer.toString('utf8', offset, i);
}

/** The header's name: ustar's prefix joined to it when the block is POSIX ustar. */
export function parseName(buffer: Buffer, offset: number): string {
  const name = parseString(buffer, offset + field.name, 100);
  const format = formatOf(buffer, offset);
  if (format === 'gnu' || format === 'v7' || buffer[offset + field.prefix] === 0) return name;
  const prefix = parseString(buffer, offset + field.prefix, format === 'star' ? 131 : 155);
  return `${prefix}/${name}`;
}

/** The header flavour the magic field announces. */
export type BlockFormat = 'ustar' | 'star' | 'gnu' | 'v7';

/** `ustar\0` (POSIX; `tar\0` at 508 marks star's shorter prefix), `ustar ` (GNU), or nothing (v7). */
export function formatOf(buffer: Uint8Array, offset: number): BlockFormat {
  const magic = offset + field.magic;
  if (
    buffer[magic] !== 0x75 ||
    buffer[magic + 1] !== 0x73 ||
    buffer[magic + 2] !== 0x74 ||
    buffer[magic + 3] !== 0x61 ||
    buffer[magic + 4] !== 0x72
  ) {
    return 'v7';
  }
  const sixth = buffer[magic + 5];
  if (sixth === SPACE) return 'gnu';
  if (sixth !== 0) return 'v7';
  const star =
    buffer[offset + 508] === 0x74 &&
    buffer[offset + 509] === 0x61 &&
    buffer[offset + 510] === 0x72 &&
    buffer[offset + 511] === 0;
  return star ? 'star' : 'ustar';
}
