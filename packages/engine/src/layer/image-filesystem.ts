import { LargestFiles } from './largest-files.ts';
import type { EntryType, LayerEntry, LayerEntrySink } from './types.ts';
import { setgidBit, setuidBit, worldWritableBit } from './file-stats.ts';

/**
 * The merged filesystem of an image: every layer's entries applied in order with overlay
 * semantics, kept as names and numbers only (no content), so a million files fit in well under
 * 150 MB. A directory is a `Map` from name to child; a regular file is one number packing size,
 * layer index and special-mode flags (a small-integer for files under 512 KiB, so no allocation at
 * all); links and special files are small objects.
 *
 * Layers must be applied in order (0, 1, 2, ...); the entries of one layer may come in any order:
 * a whiteout or opaque marker only removes what LOWER layers put there.
 */

export interface FsEntry {
  readonly type: EntryType;
  /** Bytes of a regular file; 0 otherwise. */
  readonly size: number;
  /** The layer that put the entry here; for a directory, the latest layer that added anything under it. */
  readonly layer: number;
  readonly setuid: boolean;
  readonly setgid: boolean;
  readonly worldWritable: boolean;
  /** A symlink's target as written, or a hardlink's normalised target path. */
  readonly linkTarget?: string;
}

export type ResolveResult =
  /** `path` is the real location after following every link. */
  | { readonly kind: 'found'; readonly path: string; readonly entry: FsEntry }
  /** Resolution stopped at `path`: it does not exist or a non-directory sits where a directory should. */
  | { readonly kind: 'missing'; readonly path: string }
  /** More than `maxLinkHops` links were followed. */
  | { readonly kind: 'loop'; readonly path: string };

export interface LayeredFile {
  readonly path: string;
  readonly size: number;
  readonly layer: number;
}

export interface ImageTotals {
  readonly files: number;
  readonly directories: number;
  readonly symlinks: number;
  readonly hardlinks: number;
  /** Devices, fifos and entries of unknown type. */
  readonly others: number;
  /** Bytes of regular files (hardlinks share their target's bytes and add nothing). */
  readonly totalBytes: number;
  /** Biggest first. */
  readonly largest: readonly LayeredFile[];
  /** Regular files with the mode bit; the lists are capped, the counts are not. */
  readonly setuid: readonly string[];
  readonly setgid: readonly string[];
  readonly worldWritable: readonly string[];
  readonly setuidCount: number;
  readonly setgidCount: number;
  readonly worldWritableCount: number;
  /** Regular files whose base name is one of `TotalsOptions.named` (prohibited programs by name). */
  readonly named: readonly LayeredFile[];
}

export interface TotalsOptions {
  /** Default 50. */
  readonly largest?: number;
  /** Default 1000. */
  readonly listCap?: number;
  /** Base names of regular files to list wherever they are (capped like the other lists). */
  readonly named?: ReadonlySet<string>;
}

/** Linux's limit on symlinks followed in one lookup (MAXSYMLINKS). */
export const maxLinkHops = 40;
/** Layer indices fit in 9 bits of a file's packed number. */
export const maxLayerIndex = 511;

const flagSetuid = 1;
const flagSetgid = 2;
const flagWorldWritable = 4;
const layerFactor = 8;
const sizeFactor = 4096;
const maxPackedSize = 2 ** 40 - 1;
/** V8 copies substrings shorter than this; longer ones are slices that keep the whole tar name alive. */
const slicedStringMin = 13;

class DirNode {
  children: Map<string, TrieNode> | undefined = undefined;
  layer: number;

  constructor(layer: number) {
    this.layer = layer;
  }
}

class LinkNode {
  readonly hard: boolean;
  readonly target: string;
  readonly layer: number;

  constructor(hard: boolean, target: string, layer: number) {
    this.hard = hard;
    this.target = target;
    this.layer = layer;
  }
}

class SpecialNode {
  readonly layer: number;

  constructor(layer: number) {
    this.layer = layer;
  }
}

type TrieNode = number | DirNode | LinkNode | SpecialNode;

function packFile(size: number, layer: number, mode: number): number {
  let flags = 0;
  if ((mode & setuidBit) !== 0) flags |= flagSetuid;
  if ((mode & setgidBit) !== 0) flags |= flagSetgid;
  if ((mode & worldWritableBit) !== 0) flags |= flagWorldWritable;
  const clamped = size > maxPackedSize ? maxPackedSize : size > 0 ? Math.floor(size) : 0;
  return clamped * sizeFactor + layer * layerFactor + flags;
}

/** Bit operations truncate to 32 bits, which keeps the low 12 bits (flags and layer) exact. */
function fileFlags(packed: number): number {
  return packed & 7;
}

function fileLayer(packed: number): number {
  return (packed >>> 3) & maxLayerIndex;
}

function fileSize(packed: number): number {
  return Math.floor(packed / sizeFactor);
}

function layerOf(node: TrieNode): number {
  return typeof node === 'number' ? fileLayer(node) : node.layer;
}

function toEntry(node: TrieNode): FsEntry {
  if (typeof node === 'number') {
    const flags = fileFlags(node);
    return {
      type: 'file',
      size: fileSize(node),
      layer: fileLayer(node),
      setuid: (flags & flagSetuid) !== 0,
      setgid: (flags & flagSetgid) !== 0,
      worldWritable: (flags & flagWorldWritable) !== 0,
    };
  }
  const base = { size: 0, layer: node.layer, setuid: false, setgid: false, worldWritable: false };
  if (node instanceof DirNode) return { ...base, type: 'directory' };
  if (node instanceof LinkNode)
    return { ...base, type: node.hard ? 'hardlink' : 'symlink', linkTarget: node.target };
  return { ...base, type: 'other' };
}

function joinPath(names: readonly string[], last?: string): string {
  if (last === undefined) return names.join('/');
  return names.length === 0 ? last : `${names.join('/')}/${last}`;
}

/** True when nothing but empty and `.` segments is left, so the current name is the last one. */
function onlyTrivialLeft(pending: readonly string[]): boolean {
  for (const segment of pending) if (segment !== '' && segment !== '.') return false;
  return true;
}

export class ImageFilesystem implements LayerEntrySink {
  readonly #root = new DirNode(0);
  /** Consecutive tar entries mostly share a directory: remember the last one to skip the walk from the root. */
  #cachedParentPath = '';
  #cachedParent: DirNode | undefined = undefined;
  #cachedLayer = -1;
  readonly #scratch = Buffer.allocUnsafe(1024);

  entry(entry: LayerEntry, layerIndex: number): void {
    checkLayer(layerIndex);
    const path = entry.path;
    if (path === '') {
      if (this.#root.layer < layerIndex) this.#root.layer = layerIndex;
      return;
    }
    const slash = path.lastIndexOf('/');
    const parent = this.#parentFor(path, slash, layerIndex);
    const name = slash === -1 ? path : path.slice(slash + 1);
    const children = (parent.children ??= new Map());
    const existing = children.get(name);
    const key = existing === undefined ? this.#compact(name) : name;
    switch (entry.type) {
      case 'directory':
        if (existing instanceof DirNode) {
          if (existing.layer < layerIndex) existing.layer = layerIndex;
          return;
        }
        children.set(key, new DirNode(layerIndex));
        return;
      case 'file':
        children.set(key, packFile(entry.size, layerIndex, entry.mode));
        break;
      case 'symlink':
        children.set(key, new LinkNode(false, entry.linkTarget ?? '', layerIndex));
        break;
      case 'hardlink':
        children.set(key, new LinkNode(true, entry.linkTarget ?? '', layerIndex));
        break;
      case 'other':
        children.set(key, new SpecialNode(layerIndex));
        break;
    }
    // A directory replaced by a non-directory takes its subtree along, cached parent included.
    if (existing instanceof DirNode) this.#cachedParent = undefined;
  }

  whiteout(path: string, layerIndex: number): void {
    checkLayer(layerIndex);
    this.#cachedParent = undefined;
    if (path === '') return;
    const slash = path.lastIndexOf('/');
    const parent = slash === -1 ? this.#root : this.#findDir(path.slice(0, slash));
    const children = parent?.children;
    if (children === undefined) return;
    const name = slash === -1 ? path : path.slice(slash + 1);
    const child = children.get(name);
    if (child === undefined) return;
    if (layerOf(child) < layerIndex) {
      children.delete(name);
      return;
    }
    if (child instanceof DirNode) prune(child, layerIndex);
  }

  opaque(directory: string, layerIndex: number): void {
    checkLayer(layerIndex);
    if (directory !== '') this.entry({ path: directory, type: 'directory', size: 0, mode: 0 }, layerIndex);
    this.#cachedParent = undefined;
    const dir = directory === '' ? this.#root : this.#findDir(directory);
    if (dir === undefined) return;
    if (dir.layer < layerIndex) dir.layer = layerIndex;
    prune(dir, layerIndex);
  }

  /** The entry at a normalised path, without following any link; `''` is the root. */
  lookup(path: string): FsEntry | undefined {
    if (path === '') return toEntry(this.#root);
    const slash = path.lastIndexOf('/');
    const parent = slash === -1 ? this.#root : this.#findDir(path.slice(0, slash));
    const node = parent?.children?.get(slash === -1 ? path : path.slice(slash + 1));
    return node === undefined ? undefined : toEntry(node);
  }

  /**
   * Resolves a path inside the image as a chroot would: symlinks are followed at every step
   * (absolute targets start again at the image root), hardlinks lead to their target, and `..`
   * stops at the root, so no link can lead outside the image.
   */
  resolve(path: string): ResolveResult {
    const pending = path.split('/').reverse();
    const dirs: DirNode[] = [this.#root];
    const names: string[] = [];
    let current = this.#root;
    let hops = 0;
    for (;;) {
      const name = pending.pop();
      if (name === undefined) return { kind: 'found', path: joinPath(names), entry: toEntry(current) };
      if (name === '' || name === '.') continue;
      if (name === '..') {
        if (names.length > 0) {
          names.pop();
          dirs.pop();
          current = dirs[dirs.length - 1] ?? this.#root;
        }
        continue;
      }
      const child = current.children?.get(name);
      if (child === undefined) return { kind: 'missing', path: joinPath(names, name) };
      if (child instanceof DirNode) {
        dirs.push(child);
        names.push(name);
        current = child;
        continue;
      }
      if (child instanceof LinkNode) {
        hops++;
        if (hops > maxLinkHops) return { kind: 'loop', path: joinPath(names, name) };
        if (child.target === '') return { kind: 'missing', path: joinPath(names, name) };
        if (child.hard || child.target.startsWith('/')) {
          dirs.length = 1;
          names.length = 0;
          current = this.#root;
        }
        const target = child.target.split('/');
        for (let i = target.length - 1; i >= 0; i--) pending.push(target[i] ?? '');
        continue;
      }
      if (!onlyTrivialLeft(pending)) return { kind: 'missing', path: joinPath(names, name) };
      return { kind: 'found', path: joinPath(names, name), entry: toEntry(child) };
    }
  }

  /** Every entry, directories before their contents (the root itself is not listed). */
  *entries(): Generator<readonly [string, FsEntry]> {
    const stack: [DirNode, string][] = [[this.#root, '']];
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      const [dir, prefix] = top;
      if (dir.children === undefined) continue;
      for (const [name, child] of dir.children) {
        const path = prefix + name;
        yield [path, toEntry(child)];
        if (child instanceof DirNode) stack.push([child, `${path}/`]);
      }
    }
  }

  /** Counts and lists over the final image. */
  totals(options: TotalsOptions = {}): ImageTotals {
    const listCap = options.listCap ?? 1000;
    const largest = new LargestFiles<LayeredFile>(options.largest ?? 50);
    const setuid: string[] = [];
    const setgid: string[] = [];
    const worldWritable: string[] = [];
    const named: LayeredFile[] = [];
    const wanted = options.named;
    let files = 0;
    let directories = 0;
    let symlinks = 0;
    let hardlinks = 0;
    let others = 0;
    let totalBytes = 0;
    let setuidCount = 0;
    let setgidCount = 0;
    let worldWritableCount = 0;
    const stack: [DirNode, string][] = [[this.#root, '']];
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      const [dir, prefix] = top;
      if (dir.children === undefined) continue;
      for (const [name, child] of dir.children) {
        if (typeof child !== 'number') {
          if (child instanceof DirNode) {
            directories++;
            stack.push([child, `${prefix}${name}/`]);
          } else if (child instanceof LinkNode) {
            if (child.hard) hardlinks++;
            else symlinks++;
          } else {
            others++;
          }
          continue;
        }
        files++;
        const size = fileSize(child);
        totalBytes += size;
        if (largest.admits(size)) largest.add({ path: prefix + name, size, layer: fileLayer(child) });
        if (wanted?.has(name) === true && named.length < listCap)
          named.push({ path: prefix + name, size, layer: fileLayer(child) });
        const flags = fileFlags(child);
        if (flags === 0) continue;
        if ((flags & flagSetuid) !== 0 && setuidCount++ < listCap) setuid.push(prefix + name);
        if ((flags & flagSetgid) !== 0 && setgidCount++ < listCap) setgid.push(prefix + name);
        if ((flags & flagWorldWritable) !== 0 && worldWritableCount++ < listCap)
          worldWritable.push(prefix + name);
      }
    }
    return {
      files,
      directories,
      symlinks,
      hardlinks,
      others,
      totalBytes,
      largest: largest.sorted(),
      setuid,
      setgid,
      worldWritable,
      setuidCount,
      setgidCount,
      worldWritableCount,
      named,
    };
  }

  /** The parent directory of `path` (`slash` is its last `/`), created as needed and marked as touched by `layer`. */
  #parentFor(path: string, slash: number, layer: number): DirNode {
    if (slash === -1) {
      if (this.#root.layer < layer) this.#root.layer = layer;
      return this.#root;
    }
    const cached = this.#cachedParent;
    if (
      cached !== undefined &&
      this.#cachedLayer === layer &&
      slash === this.#cachedParentPath.length &&
      path.startsWith(this.#cachedParentPath)
    ) {
      return cached;
    }
    let dir = this.#root;
    if (dir.layer < layer) dir.layer = layer;
    let start = 0;
    while (start < slash) {
      const end = path.indexOf('/', start);
      const stop = end === -1 || end > slash ? slash : end;
      dir = this.#childDir(dir, path.slice(start, stop), layer);
      start = stop + 1;
    }
    this.#cachedParent = dir;
    this.#cachedParentPath = path.slice(0, slash);
    this.#cachedLayer = layer;
    return dir;
  }

  #childDir(dir: DirNode, name: string, layer: number): DirNode {
    const children = (dir.children ??= new Map());
    const existing = children.get(name);
    if (existing instanceof DirNode) {
      if (existing.layer < layer) existing.layer = layer;
      return existing;
    }
    // Missing, or a lower file or link where this layer has a directory: the directory wins.
    const created = new DirNode(layer);
    children.set(existing === undefined ? this.#compact(name) : name, created);
    return created;
  }

  /** Walks existing directories only, following no links. */
  #findDir(path: string): DirNode | undefined {
    let dir = this.#root;
    let start = 0;
    while (start <= path.length) {
      const end = path.indexOf('/', start);
      const stop = end === -1 ? path.length : end;
      const child = dir.children?.get(path.slice(start, stop));
      if (!(child instanceof DirNode)) return undefined;
      dir = child;
      start = stop + 1;
    }
    return dir;
  }

  /**
   * A flat copy of a name that becomes a map key. Names cut out of a longer tar name are V8
   * "sliced strings" that keep the whole original string alive; a million of them would double
   * the memory of the trie.
   */
  #compact(name: string): string {
    const length = name.length;
    if (length < slicedStringMin || length > this.#scratch.length) return name;
    for (let i = 0; i < length; i++) if (name.charCodeAt(i) > 0xff) return name;
    this.#scratch.write(name, 0, length, 'latin1');
    return this.#scratch.toString('latin1', 0, length);
  }
}

/** Removes everything under `dir` that a layer below `layer` put there; this layer's own entries stay. */
function prune(dir: DirNode, layer: number): void {
  const stack: DirNode[] = [dir];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const children = next.children;
    if (children === undefined) continue;
    for (const [name, child] of children) {
      if (layerOf(child) < layer) children.delete(name);
      else if (child instanceof DirNode) stack.push(child);
    }
  }
}

function checkLayer(layerIndex: number): void {
  if (!Number.isInteger(layerIndex) || layerIndex < 0 || layerIndex > maxLayerIndex) {
    throw new RangeError(`layer index ${layerIndex} is outside 0..${maxLayerIndex}`);
  }
}
