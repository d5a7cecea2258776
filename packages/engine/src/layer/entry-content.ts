import type { TarEntry } from './tar-entry.ts';
import type { FileContent } from './dispatcher.ts';

const empty = Buffer.alloc(0);

/**
 * The content of one tar entry, for the dispatcher: drained without keeping a byte, or copied once
 * into a Buffer of exactly the header's size. The copy is deliberate: the entry's chunks are views
 * of 1 MiB decompression buffers, and keeping a view would keep the whole buffer alive for as long
 * as a group analyzer holds the file.
 */
export class EntryContent implements FileContent {
  readonly #entry: TarEntry;
  readonly #size: number;

  constructor(entry: TarEntry, size: number) {
    this.#entry = entry;
    this.#size = size;
  }

  drain(): void {
    if (this.#size > 0) this.#entry.resume();
  }

  read(): Promise<Buffer> {
    const size = this.#size;
    if (size === 0) return Promise.resolve(empty);
    const entry = this.#entry;
    return new Promise<Buffer>((resolve, reject) => {
      const content = Buffer.allocUnsafe(size);
      let offset = 0;
      let settled = false;
      const finish = (error: Error | undefined): void => {
        if (settled) return;
        settled = true;
        if (error !== undefined) reject(error);
        else resolve(content);
      };
      entry.on('data', (chunk: unknown) => {
        if (!(chunk instanceof Uint8Array)) {
          finish(new Error('tar entry yielded a non-binary chunk'));
          return;
        }
        if (offset + chunk.length > size) {
          finish(new Error(`tar entry holds more than its ${size} bytes`));
          return;
        }
        content.set(chunk, offset);
        offset += chunk.length;
      });
      entry.on('end', () =>
        finish(offset === size ? undefined : new Error(`tar entry ended after ${offset} of ${size} bytes`)),
      );
      entry.on('error', (error: Error) => finish(error));
      entry.on('close', () => finish(new Error('tar entry closed before its end')));
    });
  }
}
