import { stat } from 'node:fs/promises';

/**
 * Notices a new vulnerability database file at a path: `drydock db update` builds it beside the
 * old one and renames it over, so the path's inode (or size and time) changes.
 */
export class DatabaseFileWatch {
  #seen: string | undefined;

  readonly path: string;

  private constructor(path: string) {
    this.path = path;
  }

  /** Starts from the file as it is now (the one the service just loaded). */
  static async of(path: string): Promise<DatabaseFileWatch> {
    const watch = new DatabaseFileWatch(path);
    watch.#seen = await watch.#identity();
    return watch;
  }

  /** True once per new file; false while it stays the same or is missing. */
  async changed(): Promise<boolean> {
    const identity = await this.#identity();
    if (identity === undefined || identity === this.#seen) return false;
    this.#seen = identity;
    return true;
  }

  async #identity(): Promise<string | undefined> {
    try {
      const info = await stat(this.path);
      return `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch {
      return undefined;
    }
  }
}
