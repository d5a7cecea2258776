import { decompressChunkBytes } from './decompress.ts';
import type { TarReader } from './tar-reader.ts';

/**
 * Hands the memory of inflated chunks back as soon as the walk is done with them, instead of
 * when V8 next collects the old generation. A chunk is a view of a 1 MiB buffer the inflater
 * allocated; its JS object often outlives two scavenges (a chunk holds thousands of small files,
 * whose parsing allocates), so it is promoted and the megabyte lies outside the heap until a
 * mark-compact: the growth of that memory is what set off most full collections of a scan.
 *
 * A buffer is detached (`ArrayBuffer.prototype.transfer(0)`, which frees it at once) only when
 * - the inflater has filled it (the chunk ends at the buffer's end: the inflater writes the
 *   next output into a new buffer), so every chunk of it has been handed to the reader, and
 * - the reader holds no view of it (its current chunk, parts of a file it collects).
 * Nothing else keeps views: content the walk hands out is copied (`read`), or lent for the
 * duration of a call (`stream`, FileStream.write). Chunks of an uncompressed layer belong to the
 * source (a pooled socket buffer may be shared) and are never added.
 */
export class ReleasedChunks {
  #pending: ArrayBuffer[] = [];

  /** An inflated chunk the reader is about to take. */
  add(chunk: Buffer): void {
    const buffer = chunk.buffer;
    if (
      buffer instanceof ArrayBuffer &&
      buffer.byteLength === decompressChunkBytes &&
      chunk.byteOffset + chunk.length === buffer.byteLength
    )
      this.#pending.push(buffer);
  }

  /** The walk has handled a chunk's items: frees the buffers the reader no longer holds. */
  handled(reader: TarReader): void {
    if (this.#pending.length === 0) return;
    const held: ArrayBuffer[] = [];
    for (const buffer of this.#pending) {
      if (reader.holds(buffer)) held.push(buffer);
      else if (!buffer.detached) buffer.transfer(0);
    }
    this.#pending = held;
  }
}
