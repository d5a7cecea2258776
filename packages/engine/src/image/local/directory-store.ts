import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { DrydockError } from '../../util/errors.ts';
import { throwIfAborted, type BlobStore } from './blob-store.ts';

/**
 * The files of an OCI image layout directory
 * (https://github.com/opencontainers/image-spec/blob/main/image-layout.md). A path is opened only
 * when its real path (symlinks resolved) stays inside the layout and is a regular file; fifos and
 * devices are never read (opened non-blocking, then refused).
 */
export class DirectoryStore implements BlobStore {
  readonly location: string;
  readonly #root: string;

  private constructor(location: string, root: string) {
    this.location = location;
    this.#root = root;
  }

  /** `not_found` when `directory` does not exist; `malformed_image` when it is not a directory. */
  static async open(directory: string): Promise<DirectoryStore> {
    let root: string;
    try {
      root = await realpath(directory);
    } catch (error) {
      throw new DrydockError('not_found', `OCI layout ${directory} does not exist`, {
        reason: 'layout_not_found',
        cause: error,
      });
    }
    const handle = await open(root, constants.O_RDONLY | constants.O_DIRECTORY).catch((error: unknown) => {
      throw new DrydockError('malformed_image', `${directory} is not a directory`, {
        reason: 'not_a_directory',
        cause: error,
      });
    });
    await handle.close();
    return new DirectoryStore(directory, root);
  }

  /** The open file, or undefined when absent. */
  async #openInside(relative: string): Promise<FileHandle | undefined> {
    let real: string;
    try {
      real = await realpath(join(this.#root, relative));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return undefined;
      throw error;
    }
    if (!real.startsWith(this.#root + sep)) {
      throw new DrydockError('malformed_image', `${relative} in ${this.location} leads outside the layout`, {
        reason: 'path_outside_layout',
      });
    }
    const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = await handle.stat();
    if (!stats.isFile()) {
      await handle.close();
      throw new DrydockError('malformed_image', `${relative} in ${this.location} is not a regular file`, {
        reason: 'not_regular_file',
      });
    }
    return handle;
  }

  async readFile(path: string, maxBytes: number, signal: AbortSignal): Promise<Buffer | undefined> {
    throwIfAborted(signal);
    const handle = await this.#openInside(path);
    if (!handle) return undefined;
    try {
      const { size } = await handle.stat();
      if (size > maxBytes) {
        throw new DrydockError('malformed_image', `${path} is ${size} bytes, more than the limit`, {
          reason: 'document_too_large',
        });
      }
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  async openRawBlob(path: string, signal: AbortSignal): Promise<Readable | undefined> {
    throwIfAborted(signal);
    const handle = await this.#openInside(path);
    return handle?.createReadStream({ highWaterMark: 1 << 20 });
  }

  async close(): Promise<void> {
    // Nothing held open: every blob stream closes its own file.
  }
}
