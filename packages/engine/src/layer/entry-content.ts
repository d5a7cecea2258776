import type { FileContent } from './dispatcher.ts';
import type { TarReader } from './tar-reader.ts';

const empty = Buffer.alloc(0);

/**
 * The content of the regular file the tar reader just returned, for the dispatcher: skipped by the
 * reader unless `read()` asks it to collect the bytes into one Buffer of exactly the entry's size,
 * or `stream()` to pass them on part by part (views of the reader's chunks, nothing copied).
 * The copy is deliberate: a view would keep a whole 1 MiB decompression chunk alive for as long as
 * a group analyzer holds the file. The walker passes the reader's `content` item to `deliver`.
 * One instance serves a whole walk, entry after entry (`prepare`).
 */
export class EntryContent implements FileContent {
  readonly #reader: TarReader;
  #size = 0;
  #resolve: ((content: Buffer) => void) | undefined = undefined;
  #onPart: ((part: Buffer) => void) | undefined = undefined;
  #onEnd: (() => Promise<void> | undefined) | undefined = undefined;
  /** What the streamed entry's `onEnd` returned, until the walk takes it (`takeEnded`). */
  #ended: Promise<void> | undefined = undefined;

  constructor(reader: TarReader) {
    this.#reader = reader;
  }

  /** Points at the entry the reader just returned. */
  prepare(size: number): this {
    this.#size = size;
    this.#resolve = undefined;
    this.#onPart = undefined;
    this.#onEnd = undefined;
    this.#ended = undefined;
    return this;
  }

  /** A `read()` waits for the reader's `content` item, a `stream()` for its last `chunk` item. */
  get waiting(): boolean {
    return this.#resolve !== undefined || this.#onEnd !== undefined;
  }

  drain(): void {
    // The reader skips the content of an entry unless asked for it.
  }

  read(): Promise<Buffer> {
    if (this.#size === 0) return Promise.resolve(empty);
    this.#reader.collect();
    return new Promise<Buffer>((resolve) => {
      this.#resolve = resolve;
    });
  }

  stream(onPart: (part: Buffer) => void, onEnd: () => Promise<void> | undefined): void {
    this.#reader.stream();
    this.#onPart = onPart;
    this.#onEnd = onEnd;
  }

  /** One `chunk` item of a streamed entry; after the last, the stream's `onEnd` runs. */
  deliverPart(part: Buffer, last: boolean): void {
    this.#onPart?.(part);
    if (!last) return;
    const onEnd = this.#onEnd;
    this.#onPart = undefined;
    this.#onEnd = undefined;
    this.#ended = onEnd?.();
  }

  /** What the last streamed entry's end left to wait for, once. */
  takeEnded(): Promise<void> | undefined {
    const ended = this.#ended;
    this.#ended = undefined;
    return ended;
  }

  deliver(content: Buffer): void {
    const resolve = this.#resolve;
    this.#resolve = undefined;
    resolve?.(content);
  }
}
