import { extract as tarExtract } from 'tar-stream';
import type { DiagnosticCode, Fact } from '../analyzer/fact.ts';
import { DrydockError, toDrydockError } from '../util/errors.ts';
import { openDecompressed, type DecompressedLayer } from './decompress.ts';
import { DiagnosticLog } from './diagnostic-log.ts';
import { Dispatcher } from './dispatcher.ts';
import { EntryContent } from './entry-content.ts';
import { FileStatsCollector } from './file-stats.ts';
import { normaliseEntryPath, symlinkEscapesRoot } from './path.ts';
import type { EntryType, LayerEntry, LayerWalkInput, LayerWalkResult } from './types.ts';
import type { TarEntry, TarHeader } from './tar-entry.ts';
import { classifyWhiteout } from './whiteout.ts';

const walker = 'walker';

/**
 * Walks one layer blob in a single streaming pass: decompress (magic bytes decide), parse the tar,
 * and for each entry normalise its name, apply whiteouts to the sink, count it, and route regular
 * files to the analyzers that want them. Memory stays bounded whatever the layer holds: unwanted
 * content is drained, never buffered. Every failure is a typed DrydockError; a problem with one
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
  readonly #extract = tarExtract();
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
    this.#extract.destroy(this.#failure);
  }

  async run(): Promise<LayerWalkResult> {
    const tar = this.#tar;
    const extract = this.#extract;
    // Feed the parser with backpressure: events, not a promise per chunk.
    tar.on('data', (chunk: Buffer) => {
      if (!extract.write(chunk)) tar.pause();
    });
    // Resuming on the next macrotask lets timers and I/O run between chunks: a source that never
    // waits on I/O (a file already in memory) would otherwise starve the loop, and with it the abort timer.
    const resume = (): void => {
      tar.resume();
    };
    extract.on('drain', () => setImmediate(resume));
    tar.on('end', () => extract.end(undefined));
    tar.on('error', (error: Error) => this.stop(toDrydockError(error, this.#input.signal)));
    const entries = extract[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<TarEntry>;
        try {
          next = await entries.next();
        } catch (error) {
          throw this.#tarFailure(error);
        }
        if (next.done === true) break;
        const pending = this.#entry(next.value);
        if (pending !== undefined) await pending;
      }
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

  #tarFailure(error: unknown): DrydockError {
    if (this.#failure !== undefined) return this.#failure;
    if (error instanceof DrydockError) return error;
    if (this.#input.signal.aborted) return toDrydockError(error, this.#input.signal);
    const message = error instanceof Error ? error.message : String(error);
    return new DrydockError('malformed_image', `the layer is not a valid tar: ${message}`, {
      reason: 'corrupt_tar',
      cause: error,
    });
  }

  /** Handles one entry; returns a promise only when an analyzer is reading it. */
  #entry(entry: TarEntry): Promise<void> | undefined {
    const header: TarHeader = entry.header;
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
      return this.#skip(entry, header, 'path_too_long', `entry name is longer than ${limit}`);
    }
    if (normalised.absolute) {
      this.#diagnose('absolute_path', path, `absolute name ${bounded(header.name)} read from the image root`);
    }
    if (normalised.escaped) {
      const message = `name ${bounded(header.name)} climbs above the image root; clamped to /${path}`;
      this.#diagnose('path_traversal', path, message);
    }
    const type = entryTypeOf(header);
    if (path === '') {
      if (type !== 'directory') {
        this.#diagnose(
          'unsupported_entry',
          path,
          `a ${header.type ?? 'typeless'} entry names the image root`,
        );
      }
      return this.#skip(entry, header);
    }
    const marker = classifyWhiteout(path);
    if (marker !== undefined) {
      this.#drain(entry, header);
      if (marker.kind === 'ignored') return undefined;
      this.#stats.addWhiteout();
      if (marker.kind === 'whiteout') this.#input.sink?.whiteout(marker.target, this.#input.layer.index);
      else this.#input.sink?.opaque(marker.directory, this.#input.layer.index);
      return undefined;
    }
    if (type === 'other' && !isSpecialFile(header)) {
      const message = `tar entry type ${header.type ?? 'unknown'} is not supported; recorded without content`;
      this.#diagnose('unsupported_entry', path, message);
    }
    const mode = Number.isFinite(header.mode) ? header.mode : 0;
    const size = type === 'file' ? header.size : 0;
    let linkTarget: string | undefined;
    if (type === 'symlink') {
      linkTarget = header.linkname ?? '';
      if (symlinkEscapesRoot(path, linkTarget)) {
        const message = `symlink target ${bounded(linkTarget)} climbs above the image root; resolved clamped there`;
        this.#diagnose('link_escape', path, message);
      }
    } else if (type === 'hardlink') {
      const target = normaliseEntryPath(header.linkname ?? '', limits);
      if (target.tooLong) {
        return this.#skip(entry, header, 'path_too_long', 'hardlink target name is too long or too deep');
      }
      if (target.path === '') {
        return this.#skip(entry, header, 'unsupported_entry', 'hardlink without a target');
      }
      if (target.escaped) {
        const message = `hardlink target ${bounded(header.linkname ?? '')} climbs above the image root; clamped to /${target.path}`;
        this.#diagnose('link_escape', path, message);
      }
      linkTarget = target.path;
    }
    const layerEntry: LayerEntry =
      linkTarget === undefined ? { path, type, size, mode } : { path, type, size, mode, linkTarget };
    this.#input.sink?.entry(layerEntry, this.#input.layer.index);
    this.#stats.add(layerEntry);
    if (type === 'file') return this.#dispatcher.file(path, size, mode, new EntryContent(entry, size));
    this.#drain(entry, header);
    if (type === 'hardlink' && linkTarget !== undefined) {
      return this.#dispatcher.hardlink(path, linkTarget, mode);
    }
    return undefined;
  }

  #skip(
    entry: TarEntry,
    header: TarHeader,
    code?: 'path_too_long' | 'unsupported_entry',
    message?: string,
  ): undefined {
    if (code !== undefined && message !== undefined) this.#diagnose(code, bounded(header.name), message);
    this.#drain(entry, header);
    return undefined;
  }

  /** Entries without content need no draining: tar-stream does not wait on them. */
  #drain(entry: TarEntry, header: TarHeader): void {
    if (header.size > 0) entry.resume();
  }

  #diagnose(code: DiagnosticCode, path: string, message: string): void {
    this.#diagnostics.add(walker, code, path, message);
  }
}

function entryTypeOf(header: TarHeader): EntryType {
  switch (header.type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'directory';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    default:
      return 'other';
  }
}

function isSpecialFile(header: TarHeader): boolean {
  return header.type === 'character-device' || header.type === 'block-device' || header.type === 'fifo';
}

/** Raw names in diagnostics are cut short: a hostile pax name can be megabytes long. */
function bounded(name: string): string {
  return name.length > 256 ? `${name.slice(0, 256)}...` : name;
}
