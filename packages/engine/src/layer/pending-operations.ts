import type { EntryType, LayerEntry, LayerEntrySink } from './types.ts';

const opEntry = 0;
const opWhiteout = 1;
const opOpaque = 2;

const types: readonly EntryType[] = ['file', 'directory', 'symlink', 'hardlink', 'other'];
const typeCodes: Readonly<Record<EntryType, number>> = {
  file: 0,
  directory: 1,
  symlink: 2,
  hardlink: 3,
  other: 4,
};

/** Operations per block: each block is a few hundred KiB, freed as soon as it is replayed. */
const blockOperations = 16_384;
const initialArenaBytes = 256 * 1024;

/** A run of operations: numbers in typed arrays, paths as UTF-8 one after another in `arena`. */
class Block {
  count = 0;
  /** Operation kind in the low 2 bits, entry type above. */
  readonly kinds = new Uint8Array(blockOperations);
  readonly sizes = new Float64Array(blockOperations);
  readonly modes = new Uint32Array(blockOperations);
  /** End of each path in the arena (each starts where the previous one ends). */
  readonly pathEnds = new Uint32Array(blockOperations);
  arena = Buffer.allocUnsafe(initialArenaBytes);
  arenaUsed = 0;
  /** Link targets are rare: by operation number in the block. */
  readonly links = new Map<number, string>();
  /** Paths UTF-8 cannot carry (lone surrogates), by operation number; none come from a tar reader. */
  readonly oddPaths = new Map<number, string>();

  push(kind: number, path: string): number {
    const at = this.count;
    // UTF-8 takes at most three bytes per UTF-16 unit.
    const room = this.arenaUsed + path.length * 3;
    if (room > this.arena.length) {
      const arena = Buffer.allocUnsafe(Math.max(room, this.arena.length * 2));
      this.arena.copy(arena, 0, 0, this.arenaUsed);
      this.arena = arena;
    }
    if (path.isWellFormed()) this.arenaUsed += this.arena.write(path, this.arenaUsed, 'utf8');
    else this.oddPaths.set(at, path);
    this.kinds[at] = kind;
    this.pathEnds[at] = this.arenaUsed;
    this.count = at + 1;
    return at;
  }

  replay(target: LayerEntrySink, layer: number): void {
    const arena = this.arena;
    let start = 0;
    for (let i = 0; i < this.count; i++) {
      const end = this.pathEnds[i] as number;
      const path =
        start === end && this.oddPaths.has(i)
          ? (this.oddPaths.get(i) ?? '')
          : arena.toString('utf8', start, end);
      start = end;
      const kind = this.kinds[i] as number;
      switch (kind & 3) {
        case opEntry: {
          const linkTarget = this.links.get(i);
          const type = types[kind >>> 2] ?? 'other';
          const size = this.sizes[i] as number;
          const mode = this.modes[i] as number;
          target.entry(
            linkTarget === undefined ? { path, type, size, mode } : { path, type, size, mode, linkTarget },
            layer,
          );
          break;
        }
        case opWhiteout:
          target.whiteout(path, layer);
          break;
        case opOpaque:
          target.opaque(path, layer);
          break;
      }
    }
  }
}

/**
 * Filesystem operations of a layer kept until its turn, outside V8's heap: paths as UTF-8 bytes and
 * numbers in typed arrays, in blocks that are freed one by one as they are replayed. A layer that
 * runs ahead of its base can hold most of a million entries here; kept as strings and arrays on
 * the heap they lived long enough to be promoted to the old generation (130 MB more promoted in a
 * million-file scan, and a heap grown to match) only to be garbage the moment the layer's turn came.
 */
export class PendingOperations {
  #blocks: (Block | undefined)[] = [];
  #last: Block | undefined = undefined;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  entry(entry: LayerEntry): void {
    const block = this.#block();
    const at = block.push(opEntry | (typeCodes[entry.type] << 2), entry.path);
    block.sizes[at] = entry.size;
    block.modes[at] = entry.mode;
    if (entry.linkTarget !== undefined) block.links.set(at, entry.linkTarget);
  }

  whiteout(path: string): void {
    this.#block().push(opWhiteout, path);
  }

  opaque(directory: string): void {
    this.#block().push(opOpaque, directory);
  }

  /** Applies every operation to `target` as `layer`, in the order they came, and forgets them. */
  replay(target: LayerEntrySink, layer: number): void {
    const blocks = this.#blocks;
    this.#blocks = [];
    this.#last = undefined;
    this.#length = 0;
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i];
      blocks[i] = undefined;
      block?.replay(target, layer);
    }
  }

  #block(): Block {
    this.#length++;
    let last = this.#last;
    if (last === undefined || last.count === blockOperations) {
      last = new Block();
      this.#blocks.push(last);
      this.#last = last;
    }
    return last;
  }
}
