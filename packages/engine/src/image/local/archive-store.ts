import type { Readable } from 'node:stream';
import type { ArchiveFile } from './archive-file.ts';
import { throwIfAborted, type BlobStore } from './blob-store.ts';

/**
 * The files of an OCI image layout held in a tar (an OCI archive, or a docker 25+ `docker save`),
 * served from the archive's member index: `blobs/sha256/<hex>` is the member of that name, with
 * links followed only inside the archive.
 */
export class ArchiveStore implements BlobStore {
  readonly location: string;
  readonly #archive: ArchiveFile;
  readonly #owned: boolean;

  /** @param owned close the archive with the store */
  constructor(archive: ArchiveFile, owned: boolean) {
    this.location = archive.path;
    this.#archive = archive;
    this.#owned = owned;
  }

  async readFile(path: string, maxBytes: number, signal: AbortSignal): Promise<Buffer | undefined> {
    throwIfAborted(signal);
    const member = this.#archive.member(path);
    return member ? this.#archive.read(member, maxBytes) : undefined;
  }

  async openRawBlob(path: string, signal: AbortSignal): Promise<Readable | undefined> {
    throwIfAborted(signal);
    const member = this.#archive.member(path);
    return member ? this.#archive.stream(member) : undefined;
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#archive.close();
  }
}
