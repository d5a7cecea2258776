import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync } from 'node:fs';
import { finished, type Readable } from 'node:stream';

/**
 * The vulnerability database file as this process loaded it, for workers elsewhere to download.
 * The descriptor stays open because `drydock db update` renames a new file over the path: the
 * downloads (and their SHA-256) must be of the file these scans match against until the service
 * loads the new one. Opened right after the database, so only a rename in between those two opens
 * could make them differ (the next load puts them together again).
 */
export class LoadedDatabaseFile {
  readonly #fd: number;
  #readers = 0;
  #released = false;
  #closed = false;
  #sha256: Promise<string> | undefined;

  /** Where it was loaded from; never shown to API clients. */
  readonly path: string;
  readonly size: number;

  private constructor(path: string, size: number, fd: number) {
    this.path = path;
    this.size = size;
    this.#fd = fd;
  }

  /** Undefined when the file cannot be opened: scans go on, only downloads are unavailable. */
  static open(path: string): LoadedDatabaseFile | undefined {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return undefined;
    }
    try {
      return new LoadedDatabaseFile(path, fstatSync(fd).size, fd);
    } catch {
      closeSync(fd);
      return undefined;
    }
  }

  /** The file's SHA-256 in hex: read through once, on first use, and kept. */
  sha256(): Promise<string> {
    this.#sha256 ??= new Promise<string>((resolve, reject) => {
      const hash = createHash('sha256');
      const stream = this.createReadStream();
      stream.on('data', (chunk: Buffer) => hash.update(chunk));
      stream.on('error', reject);
      stream.on('end', () => resolve(hash.digest('hex')));
    }).catch((error: unknown) => {
      // A failed read is not remembered: the next caller tries again.
      this.#sha256 = undefined;
      throw error;
    });
    return this.#sha256;
  }

  /**
   * The whole file from its start; several may be read at once. Consume or destroy it: the
   * descriptor of a released file closes when its last stream has ended.
   */
  createReadStream(): Readable {
    if (this.#released) throw new Error('the vulnerability database file was released');
    const stream = createReadStream(this.path, {
      fd: this.#fd,
      start: 0,
      ...(this.size > 0 ? { end: this.size - 1 } : {}),
      // Positional reads on a shared descriptor, which the streams must leave open.
      autoClose: false,
    });
    this.#readers += 1;
    let ended = false;
    finished(stream, () => {
      if (ended) return;
      ended = true;
      this.#readers -= 1;
      this.#closeWhenUnused();
    });
    return stream;
  }

  /** No new readers; the descriptor closes once the current ones have ended. */
  release(): void {
    this.#released = true;
    this.#closeWhenUnused();
  }

  #closeWhenUnused(): void {
    if (!this.#released || this.#readers > 0 || this.#closed) return;
    closeSync(this.#fd);
    this.#closed = true;
  }
}
