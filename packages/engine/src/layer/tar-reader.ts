/**
 * An allocation-light streaming tar reader. The caller pushes bytes in chunks of any size and pulls
 * items synchronously: headers are decoded in place in the chunk (a header split across two chunks
 * is copied into one 512-byte scratch block), no stream object exists per entry, and the content of
 * an entry nobody asked for is skipped by counting bytes, never copied.
 *
 * Formats (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html,
 * https://www.gnu.org/software/tar/manual/html_node/Standard.html):
 * - POSIX ustar (name prefix) and pax extended headers: per-entry `x` (`path`, `linkpath`, `size`)
 *   and global `g` ones, whose values are defaults for every later entry;
 * - GNU tar: `L` long names, `K` long link names, base-256 sizes, `S` sparse files (reported as
 *   regular files of their declared size, never expanded; also GNU's pax sparse formats), `V`
 *   volume headers (ignored);
 * - old v7 headers (no magic; a regular file whose name ends in `/` is a directory).
 *
 * Checksums are verified (unsigned or signed byte sums). The archive ends at two zero blocks or at
 * the end of input on a header boundary; what follows the end marker is ignored. A bad checksum, an
 * impossible field, an extended header over 1 MiB or input ending inside a header or an entry is a
 * DrydockError `malformed_image` / `corrupt_tar`. A lone zero block between headers is skipped.
 */
import { DrydockError } from '../util/errors.ts';
import { parsePaxRecords, paxNumber, type PaxKey, type PaxRecords } from './pax-records.ts';
import {
  blockSize,
  checkBlock,
  corruptTar,
  field,
  formatOf,
  parseMode,
  parseName,
  parseSize,
  parseString,
} from './tar-block.ts';
import type { EntryType } from './types.ts';

/** One entry's header, extended headers applied. */
export interface TarHeader {
  /** The name as stored (pax `path`, GNU long name, or ustar prefix and name), decoded as UTF-8. */
  readonly name: string;
  readonly type: EntryType;
  /** The raw typeflag character (`'0'`, `'5'`, `'\0'`...), for diagnostics. */
  readonly typeflag: string;
  /**
   * Bytes of content: what follows the header in the archive (0 for typeflags `1` to `6`, links,
   * devices, directories and fifos, whatever their size field says), or a sparse file's declared size.
   */
  readonly size: number;
  /** Mode bits as stored (a mode tar cannot read is 0). */
  readonly mode: number;
  /** Target of a link (pax `linkpath`, GNU long link name, or the header's field); `''` when none. */
  readonly linkName: string;
  /** A GNU sparse file: its content is not expanded, and cannot be read. */
  readonly sparse: boolean;
}

/** What `next()` yields. */
export type TarItem =
  | { readonly kind: 'entry'; readonly header: TarHeader }
  /** A slice of the entry's content after `stream()`: a view of a pushed chunk, valid until the next push. */
  | { readonly kind: 'chunk'; readonly data: Buffer; readonly last: boolean }
  /** The entry's whole content after `collect()`: a Buffer of its own. */
  | { readonly kind: 'content'; readonly data: Buffer };

/** Extended headers (pax, GNU long names) are names, not data: larger ones are refused. */
export const maxExtendedHeaderBytes = 1024 * 1024;

type State = 'header' | 'sparse-extension' | 'metadata' | 'content' | 'skip' | 'end';
type ContentMode = 'skip' | 'collect' | 'stream';
type MetadataKind = 'L' | 'K' | 'x' | 'g';

const empty = Buffer.alloc(0);

/** Typeflags that carry no data whatever their size field says (as POSIX ustar and Go's archive/tar read them). */
function isHeaderOnly(typeflag: number): boolean {
  return typeflag >= 0x31 && typeflag <= 0x36;
}

function padding(size: number): number {
  const rest = size % blockSize;
  return rest === 0 ? 0 : blockSize - rest;
}

/**
 * Reads a tar archive pushed chunk by chunk. Use: `push(chunk)`, then call `next()` until it
 * returns `undefined` (it needs more bytes), push the next chunk, and call `end()` when the input is
 * over. Right after an `entry` item, `collect()` or `stream()` asks for its content; otherwise the
 * content is skipped.
 */
export class TarReader {
  #chunk: Buffer = empty;
  /** The chunk as 32-bit words when it starts 4-byte aligned (checksums a word at a time). */
  #chunkWords: Int32Array | undefined = undefined;
  #offset = 0;
  readonly #scratch = Buffer.alloc(blockSize);
  readonly #scratchWords = new Int32Array(this.#scratch.buffer, this.#scratch.byteOffset, blockSize / 4);
  #scratchFill = 0;
  /** Where `#takeBlock` found the block in the buffer it returned. */
  #blockAt = 0;
  #state: State = 'header';
  #zeroBlocks = 0;
  /** Bytes left in the current content, metadata or skipped stretch. */
  #remaining = 0;
  /** Padding after the current content or metadata. */
  #padding = 0;
  #mode: ContentMode = 'skip';
  /** The collected entry's first bytes: views of the pushed chunks, until a quarter has arrived. */
  #collectedParts: Buffer[] = [];
  /** The collected entry's buffer, of its claimed size, once a quarter of the bytes has arrived. */
  #collected: Buffer | undefined = undefined;
  #collectedFill = 0;
  #claimed = 0;
  /** An item owed before parsing on (the content of an empty entry that was asked for). */
  #owed: TarItem | undefined = undefined;
  /** The last `next()` returned an entry whose content may still be asked for. */
  #decidable = false;
  #currentSparse = false;
  #metadataKind: MetadataKind = 'x';
  #metadata: Buffer = empty;
  #metadataFill = 0;
  #longName: string | undefined = undefined;
  #longLinkName: string | undefined = undefined;
  #pax: PaxRecords | undefined = undefined;
  readonly #globalPax: PaxRecords = new Map();

  /** The end-of-archive marker was read: later input is ignored. */
  get done(): boolean {
    return this.#state === 'end';
  }

  /** Whether the reader still holds views into `buffer`: its current chunk, or parts of a file it collects. */
  holds(buffer: ArrayBufferLike): boolean {
    if (this.#chunk.buffer === buffer) return true;
    for (const part of this.#collectedParts) if (part.buffer === buffer) return true;
    return false;
  }

  /** Hands over the next bytes. Only once `next()` has returned `undefined`. */
  push(chunk: Buffer): void {
    if (this.#offset < this.#chunk.length) {
      throw new DrydockError('internal_error', 'tar reader: push before the last chunk was read');
    }
    const kept = this.#state === 'end' ? empty : chunk;
    this.#chunk = kept;
    this.#chunkWords =
      (kept.byteOffset & 3) === 0 && kept.length >= blockSize
        ? new Int32Array(kept.buffer, kept.byteOffset, kept.length >>> 2)
        : undefined;
    this.#offset = 0;
  }

  /** The input is over: fails with corrupt_tar when it ended inside a header or an entry. */
  end(): void {
    this.#decidable = false;
    if (this.#state === 'end') return;
    const atBoundary =
      this.#state === 'header' &&
      this.#scratchFill === 0 &&
      this.#owed === undefined &&
      this.#longName === undefined &&
      this.#longLinkName === undefined &&
      this.#pax === undefined;
    if (!atBoundary) throw corruptTar('the archive ends inside an entry');
    this.#state = 'end';
  }

  /** Asks for the content of the entry `next()` just returned, as one Buffer (the caller knows its size). */
  collect(): void {
    this.#decide('collect');
    if (this.#remaining === 0) {
      this.#owed = { kind: 'content', data: empty };
      return;
    }
    // The size field is a claim: memory follows the bytes that arrive, not the header. The first
    // parts are kept as views of the chunks (pushed chunks are never reused: they are a stream's
    // data); once a quarter of the claim has arrived, one buffer of the claimed size takes them and
    // every later part as it arrives. Each byte is copied once, and no chunk stays alive for the
    // rest of the entry: joining all the views at the end held a 70 MB executable twice over. Growing
    // a buffer by doubling copied each byte twice on average and left garbage of twice the size.
    this.#collectedParts = [];
    this.#collected = undefined;
    this.#collectedFill = 0;
    this.#claimed = this.#remaining;
  }

  /** Asks for the content of the entry `next()` just returned, as `chunk` items (at least one, the last marked). */
  stream(): void {
    this.#decide('stream');
    if (this.#remaining === 0) this.#owed = { kind: 'chunk', data: empty, last: true };
  }

  /** The next item, or `undefined` once the bytes pushed so far are used up. */
  next(): TarItem | undefined {
    this.#decidable = false;
    const owed = this.#owed;
    if (owed !== undefined) {
      this.#owed = undefined;
      return owed;
    }
    for (;;) {
      switch (this.#state) {
        case 'header': {
          const block = this.#takeBlock();
          if (block === undefined) return undefined;
          const entry = this.#header(block, this.#blockAt);
          if (entry !== undefined) return entry;
          break;
        }
        case 'sparse-extension': {
          const block = this.#takeBlock();
          if (block === undefined) return undefined;
          if (block[this.#blockAt + field.sparseExtensionIsExtended] === 0) this.#state = 'content';
          break;
        }
        case 'metadata':
          if (!this.#readMetadata()) return undefined;
          break;
        case 'content': {
          if (this.#mode === 'skip') {
            this.#skipRest();
            break;
          }
          const item = this.#mode === 'collect' ? this.#collectSome() : this.#streamSome();
          return item;
        }
        case 'skip':
          if (!this.#skipSome()) return undefined;
          break;
        case 'end':
          this.#chunk = empty;
          this.#offset = 0;
          return undefined;
      }
    }
  }

  #decide(mode: ContentMode): void {
    if (!this.#decidable) {
      throw new DrydockError('internal_error', 'tar reader: content asked for outside an entry');
    }
    if (this.#currentSparse) {
      throw new DrydockError('internal_error', 'tar reader: a sparse entry has no readable content');
    }
    this.#decidable = false;
    this.#mode = mode;
  }

  /** 512 contiguous bytes: in place in the chunk when they are there, else gathered in the scratch block. */
  #takeBlock(): Buffer | undefined {
    const chunk = this.#chunk;
    const available = chunk.length - this.#offset;
    if (this.#scratchFill === 0 && available >= blockSize) {
      this.#blockAt = this.#offset;
      this.#offset += blockSize;
      return chunk;
    }
    const take = Math.min(blockSize - this.#scratchFill, available);
    chunk.copy(this.#scratch, this.#scratchFill, this.#offset, this.#offset + take);
    this.#scratchFill += take;
    this.#offset += take;
    if (this.#scratchFill < blockSize) return undefined;
    this.#scratchFill = 0;
    this.#blockAt = 0;
    return this.#scratch;
  }

  /** Decodes a header block: an entry item, or `undefined` for a zero block or an extended header. */
  #header(block: Buffer, at: number): TarItem | undefined {
    const words = block === this.#scratch ? this.#scratchWords : this.#chunkWords;
    if (checkBlock(block, at, words) === 'zero') {
      if (this.#longName !== undefined || this.#longLinkName !== undefined || this.#pax !== undefined) {
        throw corruptTar('an extended header is followed by the end of the archive');
      }
      this.#zeroBlocks++;
      if (this.#zeroBlocks === 2) this.#finish();
      return undefined;
    }
    this.#zeroBlocks = 0;
    const typeflag = block[at + field.typeflag] as number;
    const size = parseSize(block, at + field.size, 12);
    switch (typeflag) {
      case 0x4c: // 'L'
      case 0x4b: // 'K'
      case 0x78: // 'x'
      case 0x67: // 'g'
        this.#startMetadata(String.fromCharCode(typeflag) as MetadataKind, size);
        return undefined;
      case 0x56: // 'V': a volume label, not an entry
        this.#startSkip(size + padding(size));
        return undefined;
      default:
        return this.#entry(block, at, typeflag, size);
    }
  }

  #entry(block: Buffer, at: number, typeflag: number, storedSize: number): TarItem {
    const headerOnly = isHeaderOnly(typeflag);
    let name = this.#longName ?? parseName(block, at);
    let linkName = this.#longLinkName ?? parseString(block, at + field.linkName, 100);
    let dataSize = headerOnly ? 0 : storedSize;
    let size = dataSize;
    let sparse = false;
    let extended = false;
    if (typeflag === 0x53 && formatOf(block, at) === 'gnu') {
      sparse = true;
      size = parseSize(block, at + field.gnuRealSize, 12);
      extended = block[at + field.gnuIsExtended] !== 0;
    }
    if (this.#pax !== undefined || this.#globalPax.size > 0) {
      const pax = this.#pax;
      name = this.#paxValue(pax, 'path') ?? name;
      linkName = this.#paxValue(pax, 'linkpath') ?? linkName;
      const paxSize = this.#paxValue(pax, 'size');
      if (paxSize !== undefined && !headerOnly) {
        dataSize = paxNumber(paxSize, 'size');
        if (!sparse) size = dataSize;
      }
      const realSize = this.#paxValue(pax, 'GNU.sparse.realsize') ?? this.#paxValue(pax, 'GNU.sparse.size');
      if (realSize !== undefined && !headerOnly) {
        sparse = true;
        size = paxNumber(realSize, 'GNU.sparse.realsize');
        name = this.#paxValue(pax, 'GNU.sparse.name') ?? name;
      }
      this.#pax = undefined;
    }
    this.#longName = undefined;
    this.#longLinkName = undefined;
    const header: TarHeader = {
      name,
      type: entryTypeOf(typeflag, name),
      typeflag: String.fromCharCode(typeflag),
      size,
      mode: parseMode(block, at),
      linkName,
      sparse,
    };
    this.#mode = 'skip';
    this.#remaining = dataSize;
    this.#padding = padding(dataSize);
    this.#currentSparse = sparse;
    this.#state = extended ? 'sparse-extension' : dataSize > 0 ? 'content' : 'header';
    this.#decidable = true;
    return { kind: 'entry', header };
  }

  /** A pax value for an entry: its own header's, else the global default; an empty value deletes both. */
  #paxValue(pax: PaxRecords | undefined, key: PaxKey): string | undefined {
    const value = pax?.has(key) === true ? pax.get(key) : this.#globalPax.get(key);
    return value === '' ? undefined : value;
  }

  #startMetadata(kind: MetadataKind, size: number): void {
    if (size > maxExtendedHeaderBytes) {
      throw corruptTar(
        `an extended header of ${size} bytes is over the ${maxExtendedHeaderBytes} bytes allowed`,
      );
    }
    this.#metadataKind = kind;
    this.#metadata = size === 0 ? empty : Buffer.allocUnsafe(size);
    this.#metadataFill = 0;
    this.#remaining = size;
    this.#padding = padding(size);
    this.#state = 'metadata';
  }

  /** Gathers an extended header's data; true once it is complete and applied. */
  #readMetadata(): boolean {
    const take = Math.min(this.#remaining, this.#chunk.length - this.#offset);
    if (take > 0) {
      this.#chunk.copy(this.#metadata, this.#metadataFill, this.#offset, this.#offset + take);
      this.#metadataFill += take;
      this.#offset += take;
      this.#remaining -= take;
    }
    if (this.#remaining > 0) return false;
    const data = this.#metadata;
    this.#metadata = empty;
    switch (this.#metadataKind) {
      case 'L':
        this.#longName = parseString(data, 0, data.length);
        break;
      case 'K':
        this.#longLinkName = parseString(data, 0, data.length);
        break;
      case 'x':
        this.#pax ??= new Map();
        parsePaxRecords(data, this.#pax);
        break;
      case 'g':
        parsePaxRecords(data, this.#globalPax);
        break;
    }
    this.#startSkip(this.#padding);
    return true;
  }

  #collectSome(): TarItem | undefined {
    const take = Math.min(this.#remaining, this.#chunk.length - this.#offset);
    if (take > 0) {
      const part = this.#chunk.subarray(this.#offset, this.#offset + take);
      if (this.#collected !== undefined)
        this.#collectedFill += part.copy(this.#collected, this.#collectedFill);
      else {
        this.#collectedParts.push(part);
        this.#collectedFill += take;
      }
      this.#offset += take;
      this.#remaining -= take;
      if (this.#collected === undefined && this.#remaining > 0 && this.#collectedFill * 4 >= this.#claimed)
        this.#collected = this.#joinParts(this.#claimed);
    }
    if (this.#remaining > 0) return undefined;
    // Always a copy, even of one part: the content must not keep a whole chunk alive.
    const data = this.#collected ?? this.#joinParts(this.#collectedFill);
    this.#collected = undefined;
    this.#startSkip(this.#padding);
    return { kind: 'content', data };
  }

  /** A new buffer of `size` bytes starting with the parts collected so far, which it replaces. */
  #joinParts(size: number): Buffer {
    const data = Buffer.allocUnsafe(size);
    let at = 0;
    for (const part of this.#collectedParts) at += part.copy(data, at);
    this.#collectedParts = [];
    return data;
  }

  #streamSome(): TarItem | undefined {
    const take = Math.min(this.#remaining, this.#chunk.length - this.#offset);
    if (take === 0) return undefined;
    const data = this.#chunk.subarray(this.#offset, this.#offset + take);
    this.#offset += take;
    this.#remaining -= take;
    const last = this.#remaining === 0;
    if (last) this.#startSkip(this.#padding);
    return { kind: 'chunk', data, last };
  }

  #skipRest(): void {
    this.#startSkip(this.#remaining + this.#padding);
  }

  #startSkip(bytes: number): void {
    this.#remaining = bytes;
    this.#padding = 0;
    this.#state = bytes > 0 ? 'skip' : 'header';
  }

  /** Skips what the chunk holds of the current stretch; true once it is over. */
  #skipSome(): boolean {
    const take = Math.min(this.#remaining, this.#chunk.length - this.#offset);
    this.#offset += take;
    this.#remaining -= take;
    if (this.#remaining > 0) return false;
    this.#state = 'header';
    return true;
  }

  #finish(): void {
    this.#state = 'end';
    this.#chunk = empty;
    this.#offset = 0;
  }
}

/** The entry type a typeflag stands for; old tars mark directories with a trailing `/` on a regular file. */
function entryTypeOf(typeflag: number, name: string): EntryType {
  switch (typeflag) {
    case 0x00: // '\0' (v7 regular file)
    case 0x30: // '0'
    case 0x37: // '7' contiguous file
      return name.endsWith('/') ? 'directory' : 'file';
    case 0x53: // 'S' GNU sparse file
      return 'file';
    case 0x31:
      return 'hardlink';
    case 0x32:
      return 'symlink';
    case 0x35:
      return 'directory';
    default:
      return 'other';
  }
}
