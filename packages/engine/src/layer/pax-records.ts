/**
 * Pax extended header records, `"%d %s=%s\n"` (length, keyword, value):
 * https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_03
 * Only the keywords that change how a layer entry is read are kept; the others (times, owners,
 * comments) are checked for shape and dropped, so a header's memory is bounded by its few values.
 */
import { corruptTar } from './tar-block.ts';

/**
 * The keywords kept: the entry's name, link target and size, and GNU's pax sparse files
 * (https://www.gnu.org/software/tar/manual/html_node/Sparse-Formats.html), whose real name and
 * size are in these records while the header holds a placeholder name and the stored size.
 */
export type PaxKey =
  'path' | 'linkpath' | 'size' | 'GNU.sparse.name' | 'GNU.sparse.realsize' | 'GNU.sparse.size';

const keys: ReadonlySet<string> = new Set<PaxKey>([
  'path',
  'linkpath',
  'size',
  'GNU.sparse.name',
  'GNU.sparse.realsize',
  'GNU.sparse.size',
]);

function isPaxKey(key: string): key is PaxKey {
  return keys.has(key);
}

/** Values by keyword; an empty value deletes the keyword (and any global default for it). */
export type PaxRecords = Map<PaxKey, string>;

const SPACE = 0x20;
const EQUALS = 0x3d;
const NEWLINE = 0x0a;
const ZERO = 0x30;
const NINE = 0x39;

/** Parses a whole extended header's data into `into` (later records win); malformed → corrupt_tar. */
export function parsePaxRecords(data: Buffer, into: PaxRecords): void {
  let position = 0;
  while (position < data.length) {
    let cursor = position;
    let length = 0;
    while (cursor < data.length) {
      const byte = data[cursor] as number;
      if (byte < ZERO || byte > NINE) break;
      length = length * 10 + (byte - ZERO);
      cursor++;
    }
    const end = position + length;
    if (cursor === position || data[cursor] !== SPACE || end > data.length || end <= cursor + 1) {
      throw corruptTar('a pax extended header has a malformed record length');
    }
    if (data[end - 1] !== NEWLINE) throw corruptTar('a pax extended header record does not end in a newline');
    const keyStart = cursor + 1;
    const equals = data.indexOf(EQUALS, keyStart);
    if (equals <= keyStart || equals >= end - 1) {
      throw corruptTar('a pax extended header record has no keyword');
    }
    const key = data.toString('latin1', keyStart, equals);
    if (isPaxKey(key)) into.set(key, data.toString('utf8', equals + 1, end - 1));
    position = end;
  }
}

/** A decimal pax number (`size`, `GNU.sparse.realsize`); anything else is corrupt. */
export function paxNumber(value: string, key: PaxKey): number {
  if (!/^[0-9]{1,16}$/.test(value)) throw corruptTar(`a pax ${key} is not a number`);
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw corruptTar(`a pax ${key} is too large`);
  return number;
}
