import { DrydockError } from '../../util/errors.ts';

/**
 * An index of a tar file's members built in one pass over the headers: data blocks are skipped by
 * offset, never read. Supports ustar (POSIX prefix), GNU long names (`L`/`K`), PAX extended
 * headers (`path`, `linkpath`, `size`) and base-256 sizes.
 *
 * Formats: POSIX pax/ustar (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html),
 * GNU tar (https://www.gnu.org/software/tar/manual/html_node/Standard.html).
 *
 * Member names are normalised (leading `/` and `./`, `.` segments and trailing `/` dropped); a name
 * with a `..` segment can only point outside the archive and is left out of the index (counted in
 * `rejected`). Links resolve only to other members: nothing outside the tar is ever opened.
 */

export type TarMemberType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface TarMember {
  /** Normalised name. */
  readonly name: string;
  readonly type: TarMemberType;
  /** Offset of the member's data in the tar file. */
  readonly offset: number;
  /** Bytes of data (0 for header-only types). */
  readonly size: number;
  /** Symlink target as written, or the normalised hardlink target. */
  readonly linkTarget?: string;
}

export interface TarIndex {
  /** The last member of each name (later members replace earlier ones, as on extraction). */
  readonly members: ReadonlyMap<string, TarMember>;
  /** Members left out because their names would leave the archive root. */
  readonly rejected: readonly string[];
}

const block = 512;
const maxLinks = 16;
/** Extended headers (PAX, GNU long names) are names, not data: cap what we buffer. */
const maxExtendedHeaderBytes = 1 << 20;

function truncated(what: string): DrydockError {
  return new DrydockError('malformed_image', `the archive is truncated (${what})`, {
    reason: 'truncated_archive',
  });
}

function cString(bytes: Buffer, start: number, length: number): string {
  const field = bytes.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

/** Octal ASCII, or GNU base-256 when the high bit of the first byte is set. */
function numeric(bytes: Buffer, start: number, length: number): number {
  const field = bytes.subarray(start, start + length);
  const first = field[0] ?? 0;
  if (first & 0x80) {
    let value = BigInt(first & 0x7f);
    for (const byte of field.subarray(1)) value = (value << 8n) | BigInt(byte);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new DrydockError('malformed_image', 'tar header number out of range', {
        reason: 'invalid_tar_header',
      });
    }
    return Number(value);
  }
  const text = field
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) {
    throw new DrydockError('malformed_image', 'tar header has an invalid number', {
      reason: 'invalid_tar_header',
    });
  }
  return Number.parseInt(text, 8);
}

function checksumMatches(header: Buffer): boolean {
  const stored = numeric(header, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < block; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

/** PAX records: `<length> <key>=<value>\n`. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let position = 0;
  while (position < data.length) {
    const space = data.indexOf(0x20, position);
    if (space === -1) break;
    const length = Number.parseInt(data.subarray(position, space).toString('latin1'), 10);
    if (!Number.isSafeInteger(length) || length <= space - position || position + length > data.length) break;
    const record = data.subarray(space + 1, position + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
    position += length;
  }
  return records;
}

/**
 * Normalises a member name or path inside the archive. Returns undefined for names that would
 * leave the root (`..` segments) or contain NUL.
 */
export function normaliseMemberName(name: string): string | undefined {
  if (name.includes('\0')) return undefined;
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return undefined;
    parts.push(part);
  }
  return parts.join('/');
}

/** Joins a relative symlink target to the link's directory, refusing to climb above the root. */
function resolveSymlinkTarget(linkName: string, target: string): string | undefined {
  const parts = target.startsWith('/') ? [] : linkName.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.join('/');
}

function memberType(typeflag: string): TarMemberType {
  switch (typeflag) {
    case '0':
    case '\0':
    case '7':
      return 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '5':
      return 'directory';
    default:
      return 'other';
  }
}

/** Types whose data size is ignored (as Go's archive/tar does): links, devices, directories, fifos. */
const headerOnlyTypeflags = new Set(['1', '2', '3', '4', '5', '6']);

/** What the indexer needs of a file: positional reads (a `FileHandle` is one). */
export interface PositionalReader {
  read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ readonly bytesRead: number }>;
}

async function readAt(handle: PositionalReader, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}

export interface IndexTarOptions {
  /** Stop with `too_many_files` beyond this many members. */
  readonly maxMembers: number;
  readonly signal?: AbortSignal;
}

/** Builds the member index of the tar open in `handle` (`fileSize` bytes). */
export async function indexTar(
  handle: PositionalReader,
  fileSize: number,
  options: IndexTarOptions,
): Promise<TarIndex> {
  const members = new Map<string, TarMember>();
  const rejected: string[] = [];
  let position = 0;
  let count = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax = new Map<string, string>();

  let ended = false;
  while (position < fileSize) {
    if (options.signal?.aborted) throw new DrydockError('aborted', 'indexing the archive was aborted');
    const header = await readAt(handle, position, block);
    if (header.length < block) throw truncated('short header');
    if (header.every((byte) => byte === 0)) {
      ended = true;
      break;
    }
    if (!checksumMatches(header)) {
      throw new DrydockError(
        'malformed_image',
        `invalid tar header at offset ${position} (not a tar archive?)`,
        {
          reason: 'invalid_tar_header',
        },
      );
    }
    const typeflag = String.fromCharCode(header[156] ?? 0);
    const headerSize = numeric(header, 124, 12);
    const dataSize = headerOnlyTypeflags.has(typeflag) ? 0 : Number(pax.get('size') ?? headerSize);
    if (!Number.isSafeInteger(dataSize) || dataSize < 0) {
      throw new DrydockError('malformed_image', 'tar member has an invalid size', {
        reason: 'invalid_tar_header',
      });
    }
    const dataOffset = position + block;
    if (dataOffset + dataSize > fileSize) throw truncated(`member data ends after the file`);
    position = dataOffset + Math.ceil(dataSize / block) * block;

    if (typeflag === 'L' || typeflag === 'K' || typeflag === 'x' || typeflag === 'g') {
      if (dataSize > maxExtendedHeaderBytes) {
        throw new DrydockError('malformed_image', 'tar extended header is too large', {
          reason: 'invalid_tar_header',
        });
      }
      const data = await readAt(handle, dataOffset, dataSize);
      if (data.length < dataSize) throw truncated('extended header');
      if (typeflag === 'L') longName = cString(data, 0, data.length);
      if (typeflag === 'K') longLink = cString(data, 0, data.length);
      if (typeflag === 'x') pax = paxRecords(data);
      continue;
    }

    const magic = header.subarray(257, 263).toString('latin1');
    const prefix = magic === 'ustar\0' ? cString(header, 345, 155) : '';
    const headerName = cString(header, 0, 100);
    const rawName = pax.get('path') ?? longName ?? (prefix ? `${prefix}/${headerName}` : headerName);
    const rawLink = pax.get('linkpath') ?? longLink ?? cString(header, 157, 100);
    longName = undefined;
    longLink = undefined;
    pax = new Map();

    count += 1;
    if (count > options.maxMembers) {
      throw new DrydockError('too_many_files', `the archive has more than ${options.maxMembers} members`, {
        details: { limit: options.maxMembers },
      });
    }
    const name = normaliseMemberName(rawName);
    if (name === undefined) {
      rejected.push(rawName);
      continue;
    }
    if (name === '') continue;
    const type = memberType(typeflag);
    const linkTarget =
      type === 'hardlink' ? normaliseMemberName(rawLink) : type === 'symlink' ? rawLink : undefined;
    members.set(name, {
      name,
      type,
      offset: dataOffset,
      size: type === 'file' ? dataSize : 0,
      ...(linkTarget !== undefined ? { linkTarget } : {}),
    });
  }
  // An archive may end without its two zero blocks, but not between an extended header and its member.
  if (!ended && (longName !== undefined || longLink !== undefined || pax.size > 0))
    throw truncated('extended header without member');
  return { members, rejected };
}

/**
 * The regular-file member a name leads to, following symlinks (relative to the link, never above
 * the root) and hardlinks inside the archive. Undefined when missing, dangling or escaping.
 */
export function resolveMember(index: TarIndex, name: string): TarMember | undefined {
  let current = normaliseMemberName(name);
  for (let hops = 0; current !== undefined && hops <= maxLinks; hops++) {
    const member = index.members.get(current);
    if (!member) return undefined;
    switch (member.type) {
      case 'file':
        return member;
      case 'hardlink':
        current = member.linkTarget;
        break;
      case 'symlink':
        current =
          member.linkTarget === undefined ? undefined : resolveSymlinkTarget(member.name, member.linkTarget);
        break;
      default:
        return undefined;
    }
  }
  return undefined;
}
