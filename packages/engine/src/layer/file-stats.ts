import type { FileStats, FileStatsFact, LargeFile } from '../analyzer/fact.ts';
import type { LayerRef } from '../analyzer/layer-ref.ts';
import { LargestFiles } from './largest-files.ts';
import type { LayerEntry } from './types.ts';

export interface FileStatsOptions {
  /** How many of the largest files to keep (default 50). */
  readonly largest?: number;
  /** Cap of each of the setuid, setgid and world-writable lists (default 1000); the first ones in stream order are kept. */
  readonly listCap?: number;
}

export const setuidBit = 0o4000;
export const setgidBit = 0o2000;
export const worldWritableBit = 0o002;

/**
 * Statistics of one layer (PRODUCT.md section 4, "File information"), collected as entries stream
 * by in constant memory: counters, a bounded heap of the largest files and capped lists. The
 * special-mode lists hold regular files only: a setgid directory is ordinary, and a symlink's own
 * mode means nothing.
 */
export class FileStatsCollector {
  #files = 0;
  #directories = 0;
  #symlinks = 0;
  #hardlinks = 0;
  #totalBytes = 0;
  #whiteouts = 0;
  readonly #largest: LargestFiles<LargeFile>;
  readonly #listCap: number;
  readonly #setuid: string[] = [];
  readonly #setgid: string[] = [];
  readonly #worldWritable: string[] = [];

  constructor(options: FileStatsOptions = {}) {
    this.#largest = new LargestFiles(options.largest ?? 50);
    this.#listCap = options.listCap ?? 1000;
  }

  add(entry: LayerEntry): void {
    switch (entry.type) {
      case 'file':
        this.#addFile(entry);
        return;
      case 'directory':
        this.#directories++;
        return;
      case 'symlink':
        this.#symlinks++;
        return;
      case 'hardlink':
        this.#hardlinks++;
        return;
      case 'other':
        return;
    }
  }

  addWhiteout(): void {
    this.#whiteouts++;
  }

  stats(): FileStats {
    return {
      files: this.#files,
      directories: this.#directories,
      symlinks: this.#symlinks,
      hardlinks: this.#hardlinks,
      totalBytes: this.#totalBytes,
      whiteouts: this.#whiteouts,
      largest: this.#largest.sorted(),
      setuid: [...this.#setuid],
      setgid: [...this.#setgid],
      worldWritable: [...this.#worldWritable],
    };
  }

  fact(layer: LayerRef): FileStatsFact {
    return { kind: 'file-stats', layer, stats: this.stats() };
  }

  #addFile(entry: LayerEntry): void {
    this.#files++;
    this.#totalBytes += entry.size;
    if (this.#largest.admits(entry.size)) this.#largest.add({ path: entry.path, size: entry.size });
    const mode = entry.mode;
    if ((mode & (setuidBit | setgidBit | worldWritableBit)) === 0) return;
    if ((mode & setuidBit) !== 0) this.#push(this.#setuid, entry.path);
    if ((mode & setgidBit) !== 0) this.#push(this.#setgid, entry.path);
    if ((mode & worldWritableBit) !== 0) this.#push(this.#worldWritable, entry.path);
  }

  #push(list: string[], path: string): void {
    if (list.length < this.#listCap) list.push(path);
  }
}
