import type { DiagnosticCode, Fact } from '../analyzer/fact.ts';
import { DrydockError, toDrydockError } from '../util/errors.ts';
import { openDecompressed, type DecompressedLayer } from './decompress.ts';
import { DiagnosticLog } from './diagnostic-log.ts';
import { Dispatcher } from './dispatcher.ts';
import { EntryContent } from './entry-content.ts';
import { ReleasedChunks } from './released-chunks.ts';
import { FileStatsCollector } from './file-stats.ts';
import { normaliseEntryPath, symlinkEscapesRoot } from './path.ts';
import { TarReader, type TarHeader, type TarItem } from './tar-reader.ts';
import type { LayerEntry, LayerWalkInput, LayerWalkResult } from './types.ts';
import { classifyWhiteout } from './whiteout.ts';

const walker = 'walker';

/**
 * Walks one layer blob in a single streaming pass: decompress (magic bytes decide), read the tar
 * (TarReader, headers decoded in place in the decompressed chunks), and for each entry normalise
 * its name, apply whiteouts to the sink, count it, and route regular files to the analyzers that
 * want them. Memory stays bounded whatever the layer holds: unwanted content is skipped, never
 * copied. Every failure is a typed DrydockError; a problem with one
 * entry is a diagnostic fact instead. Rejects promptly when `input.signal` aborts, with the
 * DrydockError the signal carries, or `aborted` (`timed_out` for a timeout signal).
 */
export async function walkLayer(input: LayerWalkInput): Promise<LayerWalkResult> {
  const { signal } = input;
  if (signal.aborted) {
    input.stream.destroy();
    throw toDrydockError(signal.reason, signal);
  }
  const walk = new LayerWalk(input);
  const work = walk.run();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      const error = toDrydockError(signal.reason, signal);
      walk.stop(error);
      reject(error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  // An analyzer that ignores the signal must not hold the walk: whichever settles first wins.
  work.catch(() => undefined);
  aborted.catch(() => undefined);
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
}

class LayerWalk {
  readonly #input: LayerWalkInput;
  readonly #diagnostics: DiagnosticLog;
  readonly #stats = new FileStatsCollector();
  readonly #dispatcher: Dispatcher;
  readonly #tar: DecompressedLayer;
  readonly #reader = new TarReader();
  readonly #content = new EntryContent(this.#reader);
  readonly #released = new ReleasedChunks();
  /** The dispatcher's work on the file being collected: awaited once the reader delivers its content. */
  #reading: Promise<void> | undefined = undefined;
  /** The first failure of any part (decompression, limits, abort): it wins over the errors it causes downstream. */
  #failure: DrydockError | undefined = undefined;
  #entries = 0;

  constructor(input: LayerWalkInput) {
    this.#input = input;
    this.#diagnostics = new DiagnosticLog(input.layer);
    this.#dispatcher = new Dispatcher(
      input.analyzers,
      { layer: input.layer, signal: input.signal },
      this.#diagnostics,
    );
    this.#tar = openDecompressed(input.stream, {
      mediaType: input.mediaType,
      limits: input.limits,
      budget: input.budget,
      signal: input.signal,
    });
  }

  stop(error: DrydockError): void {
    this.#failure ??= error;
    this.#tar.destroy(this.#failure);
  }

  async run(): Promise<LayerWalkResult> {
    const tar = this.#tar;
    try {
      await this.#consume();
      this.#reader.end();
      await this.#dispatcher.finish();
    } catch (error) {
      const failure = this.#failure ?? toDrydockError(error, this.#input.signal);
      this.stop(failure);
      throw failure;
    }
    const facts: Fact[] = [
      ...this.#dispatcher.facts(),
      this.#stats.fact(this.#input.layer),
      ...this.#diagnostics.facts(),
    ];
    return {
      facts,
      entries: this.#entries,
      compressedBytes: tar.compressedBytes,
      uncompressedBytes: tar.uncompressedBytes,
    };
  }

  /**
   * Feeds the decompressed chunks to the reader, one at a time: the stream is paused while a
   * chunk's entries are handled (backpressure), then resumed on the next macrotask, which lets
   * timers and I/O run: a source that never waits on I/O (a file already in memory) would otherwise
   * starve the loop, and with it the abort timer. Flowing mode hands over each chunk as it was
   * produced; `read()` (and so async iteration) would concatenate whatever is buffered ahead.
   * Settles once the stream has ended and its last chunk is handled.
   */
  #consume(): Promise<void> {
    const tar = this.#tar;
    return new Promise<void>((resolve, reject) => {
      let busy = false;
      let ended = false;
      let failed = false;
      const fail = (error: unknown): void => {
        failed = true;
        reject(error);
      };
      const resume = (): void => {
        if (!failed) tar.resume();
      };
      const handled = (): void => {
        busy = false;
        this.#released.handled(this.#reader);
        if (ended) resolve();
        else setImmediate(resume);
      };
      const take = (chunk: Buffer): void => {
        if (failed) return;
        let pending: Promise<void> | undefined;
        try {
          if (tar.compression !== 'none') this.#released.add(chunk);
          this.#reader.push(chunk);
          pending = this.#items();
        } catch (error) {
          fail(error);
          return;
        }
        if (pending === undefined) handled();
        else pending.then(handled, fail);
      };
      tar.on('data', (chunk: Buffer) => {
        busy = true;
        tar.pause();
        // Not inside the event: a chunk arrives from the inflater's callback, which starts inflating
        // the next chunk on the thread pool only once this returns. In a microtask the two overlap.
        queueMicrotask(() => take(chunk));
      });
      tar.once('end', () => {
        ended = true;
        if (!busy) resolve();
      });
      tar.once('error', fail);
      tar.once('close', () => {
        if (!ended) fail(this.#failure ?? new Error('the layer stream closed before its end'));
      });
    });
  }

  /** Handles the items the reader has for the bytes pushed so far, waiting on analyzers when they work. */
  #items(): Promise<void> | undefined {
    const reader = this.#reader;
    for (let item = reader.next(); item !== undefined; item = reader.next()) {
      const pending = this.#item(item);
      if (pending !== undefined) return pending.then(() => this.#items());
    }
    return undefined;
  }

  /** Handles one reader item; returns a promise only when an analyzer is at work on a file. */
  #item(item: TarItem): Promise<void> | undefined {
    if (item.kind === 'entry') {
      const pending = this.#entry(item.header);
      if (pending === undefined || !this.#content.waiting) return pending;
      // The dispatcher waits for the content, which the reader delivers as a later item.
      this.#reading = pending;
      return undefined;
    }
    if (item.kind === 'content') {
      const pending = this.#reading;
      this.#reading = undefined;
      this.#content.deliver(item.data);
      return pending;
    }
    this.#content.deliverPart(item.data, item.last);
    if (!item.last) return undefined;
    const pending = this.#reading ?? this.#content.takeEnded();
    this.#reading = undefined;
    return pending;
  }

  /** Handles one entry; returns a promise only when an analyzer is reading it. */
  #entry(header: TarHeader): Promise<void> | undefined {
    const { limits, budget } = this.#input;
    this.#entries++;
    budget.files++;
    if (budget.files > limits.maxFiles) {
      throw new DrydockError('too_many_files', `the image has more than ${limits.maxFiles} entries`, {
        reason: 'entries',
        details: { limit: limits.maxFiles },
      });
    }
    const normalised = normaliseEntryPath(header.name, limits);
    const path = normalised.path;
    if (normalised.tooLong) {
      const limit = `${limits.maxPathLength} characters or ${limits.maxPathDepth} levels`;
      return this.#skip(header, 'path_too_long', `entry name is longer than ${limit}`);
    }
    if (normalised.absolute) {
      this.#diagnose('absolute_path', path, `absolute name ${bounded(header.name)} read from the image root`);
    }
    if (normalised.escaped) {
      const message = `name ${bounded(header.name)} climbs above the image root; clamped to /${path}`;
      this.#diagnose('path_traversal', path, message);
    }
    const type = header.type;
    if (path === '') {
      if (type !== 'directory') {
        this.#diagnose('unsupported_entry', path, `a ${type} entry names the image root`);
      }
      return undefined;
    }
    const marker = classifyWhiteout(path);
    if (marker !== undefined) {
      if (marker.kind === 'ignored') return undefined;
      this.#stats.addWhiteout();
      if (marker.kind === 'whiteout') this.#input.sink?.whiteout(marker.target, this.#input.layer.index);
      else this.#input.sink?.opaque(marker.directory, this.#input.layer.index);
      return undefined;
    }
    if (type === 'other' && !isSpecialFile(header)) {
      const message = `tar entry type ${JSON.stringify(header.typeflag)} is not supported; recorded without content`;
      this.#diagnose('unsupported_entry', path, message);
    }
    const mode = header.mode;
    const size = type === 'file' ? header.size : 0;
    let linkTarget: string | undefined;
    if (type === 'symlink') {
      linkTarget = header.linkName;
      if (symlinkEscapesRoot(path, linkTarget)) {
        const message = `symlink target ${bounded(linkTarget)} climbs above the image root; resolved clamped there`;
        this.#diagnose('link_escape', path, message);
      }
    } else if (type === 'hardlink') {
      const target = normaliseEntryPath(header.linkName, limits);
      if (target.tooLong) {
        return this.#skip(header, 'path_too_long', 'hardlink target name is too long or too deep');
      }
      if (target.path === '') {
        return this.#skip(header, 'unsupported_entry', 'hardlink without a target');
      }
      if (target.escaped) {
        const message = `hardlink target ${bounded(header.linkName)} climbs above the image root; clamped to /${target.path}`;
        this.#diagnose('link_escape', path, message);
      }
      linkTarget = target.path;
    }
    const layerEntry: LayerEntry =
      linkTarget === undefined ? { path, type, size, mode } : { path, type, size, mode, linkTarget };
    this.#input.sink?.entry(layerEntry, this.#input.layer.index);
    this.#stats.add(layerEntry);
    if (type === 'file') {
      if (!header.sparse) return this.#dispatcher.file(path, size, mode, this.#content.prepare(size));
      this.#diagnose('unsupported_entry', path, 'sparse file recorded without its content');
      return undefined;
    }
    if (type === 'hardlink' && linkTarget !== undefined) {
      return this.#dispatcher.hardlink(path, linkTarget, mode);
    }
    return undefined;
  }

  /** Leaves an entry out with a diagnostic (the reader skips its content). */
  #skip(header: TarHeader, code: 'path_too_long' | 'unsupported_entry', message: string): undefined {
    this.#diagnose(code, bounded(header.name), message);
    return undefined;
  }

  #diagnose(code: DiagnosticCode, path: string, message: string): void {
    this.#diagnostics.add(walker, code, path, message);
  }
}

/** Character and block devices and fifos: expected in a root filesystem, recorded as `other`. */
function isSpecialFile(header: TarHeader): boolean {
  return header.typeflag === '3' || header.typeflag === '4' || header.typeflag === '6';
}

/** Raw names in diagnostics are cut short: a hostile pax name can be megabytes long. */
function bounded(name: string): string {
  return name.length > 256 ? `${name.slice(0, 256)}...` : name;
}
