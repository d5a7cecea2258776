import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayerCache } from './layer-cache.ts';

export interface DirectoryLayerCacheOptions {
  /** Bytes of entries kept; past it the least recently used entries are deleted (default 2 GiB). */
  readonly maxBytes?: number;
}

export const defaultDirectoryLayerCacheMaxBytes = 2 * 1024 ** 3;

const keyPattern = /^[0-9a-f]{64}$/;

/**
 * The command line's layer cache: one file per analysed layer under a directory, so a re-scan of an
 * image (or of another image on the same base) skips downloading and walking the layers it has
 * seen. Entries are written to a temporary name and renamed, so a crash or a concurrent scan never
 * leaves a torn entry, and they are readable by their owner only: a baseline scan's entries hold
 * account files, /etc/shadow included. A hit refreshes the file's modification time, which is what
 * the trim after each store orders by.
 */
export class DirectoryLayerCache implements LayerCache {
  readonly #directory: string;
  readonly #maxBytes: number;

  constructor(directory: string, options: DirectoryLayerCacheOptions = {}) {
    this.#directory = directory;
    this.#maxBytes = options.maxBytes ?? defaultDirectoryLayerCacheMaxBytes;
  }

  async get(key: string, signal: AbortSignal): Promise<Uint8Array | undefined> {
    signal.throwIfAborted();
    const path = this.#pathOf(key);
    let value: Buffer;
    try {
      value = await readFile(path, { signal });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const now = new Date();
    await utimes(path, now, now).catch(() => undefined);
    return value;
  }

  async put(key: string, value: Uint8Array): Promise<void> {
    if (value.byteLength > this.#maxBytes) return;
    const path = this.#pathOf(key);
    const shard = join(this.#directory, key.slice(0, 2));
    await mkdir(shard, { recursive: true, mode: 0o700 });
    const temporary = join(shard, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temporary, value, { mode: 0o600 });
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    await this.#trim();
  }

  #pathOf(key: string): string {
    // Keys come from `layerCacheKey` (SHA-256 hex); anything else must not name a path.
    if (!keyPattern.test(key)) throw new Error(`layer cache key is not a SHA-256 hex digest: ${key}`);
    return join(this.#directory, key.slice(0, 2), key);
  }

  /** Deletes the least recently used entries until the directory holds at most `maxBytes`. */
  async #trim(): Promise<void> {
    const entries: { path: string; size: number; used: number }[] = [];
    for (const shard of await readdir(this.#directory)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await readdir(join(this.#directory, shard)).catch(() => [])) {
        if (!keyPattern.test(name)) continue;
        const path = join(this.#directory, shard, name);
        const info = await stat(path).catch(() => undefined);
        if (info) entries.push({ path, size: info.size, used: info.mtimeMs });
      }
    }
    let total = entries.reduce((sum, entry) => sum + entry.size, 0);
    if (total <= this.#maxBytes) return;
    entries.sort((a, b) => a.used - b.used);
    for (const entry of entries) {
      if (total <= this.#maxBytes) break;
      await rm(entry.path, { force: true });
      total -= entry.size;
    }
  }
}
