import type {
  AnalyzedFile,
  Analyzer,
  AnalyzerContext,
  EachFileAnalyzer,
  FileStream,
  StreamedFile,
} from '../analyzer/contract.ts';
import type { Fact } from '../analyzer/fact.ts';
import type { DiagnosticLog } from './diagnostic-log.ts';
import { WantsIndex, type PredicateFailure } from './wants-index.ts';

/** The content of one regular file entry, as the walker offers it: exactly one of the two is called. */
export interface FileContent {
  /** Lets the content stream by without keeping it. */
  drain(): void;
  /** Reads the whole content into one Buffer of the entry's size. */
  read(): Promise<Buffer>;
  /**
   * Passes the content (of at least one byte) on part by part, each a view valid during the call,
   * and calls `onEnd` right after the last part. What `onEnd` returns (a promise when the file's
   * analysis goes on) is what the walk then waits for: most files end without a promise.
   */
  stream(onPart: (part: Buffer) => void, onEnd: () => Promise<void> | undefined): void;
}

export interface DispatcherOptions {
  /** Bytes of already read content kept to serve later hardlinks to it (default 64 MiB). */
  readonly hardlinkCacheBytes?: number;
  /**
   * Larger files are not kept for hardlinks (default 16 MiB), so their memory is freed as soon as
   * their analyzers are done: hardlinks are mostly to interpreters and tools of a few MiB, while
   * the 40-55 MB Go binaries of the go-binaries benchmark image each stayed until the next one
   * evicted it (peak RSS 253-256 MB with this cap, 270-304 MB without).
   */
  readonly hardlinkFileBytes?: number;
  /** Bytes held for group analyzers in one layer (default 512 MiB); wanted files beyond get `file_too_large`. */
  readonly groupBytes?: number;
  /** Ceiling of one read whatever an analyzer's `maxBytes` says (default 1 GiB). */
  readonly maxReadBytes?: number;
  /**
   * Analyses of `concurrent` analyzers in flight at once (default 256: the secret scanner batches
   * the files in flight into one worker task, and small files are most of an image).
   */
  readonly maxInFlight?: number;
  /** Bytes of file content held by analyses in flight (default 64 MiB; one larger file still goes alone). */
  readonly maxInFlightBytes?: number;
}

const MiB = 1024 * 1024;
/** Read content this large is freed as soon as its analyzers are done (`#release`). */
const releasedContentBytes = 1 * MiB;
/** Tar modes usually carry permission bits only; analyzers are promised `S_IFREG` as well. */
const regularFileType = 0o100000;

interface Linkable {
  readonly content: Buffer;
  readonly mode: number;
}

/**
 * The one-pass file router: every regular file of a layer is offered once; the analyzers that want
 * it share one read of its content (EachFileAnalyzer at once, LayerGroupAnalyzer at the end of the
 * layer), and a file nobody wants streams by unread. An analyzer that throws becomes an
 * `analyzer_failed` diagnostic; the walk goes on. A path a layer holds twice (a tar with duplicate
 * entries) is the later entry, as extraction would leave it: the earlier one's facts are dropped.
 */
export class Dispatcher {
  readonly #analyzers: readonly Analyzer[];
  readonly #context: AnalyzerContext;
  readonly #diagnostics: DiagnosticLog;
  readonly #index: WantsIndex;
  readonly #caps: readonly number[];
  readonly #groupFiles: Map<string, AnalyzedFile>[];
  /** Facts of group analyzers and of analyzers that failed. */
  readonly #facts: Fact[] = [];
  /**
   * Facts of each-file analyzers by analyzer and path, with the number of the delivery that made
   * them: a later entry of the same path replaces them. Only files with facts are kept here.
   */
  readonly #factsOfFile = new Map<string, { readonly delivery: number; readonly facts: readonly Fact[] }>();
  /**
   * The paths that ever had an entry in `#factsOfFile`. Most files have no facts: for them no key is
   * built and no entry looked up (two strings and two lookups per file and analyzer otherwise).
   */
  readonly #pathsWithFacts = new Set<string>();
  #deliveries = 0;
  /** Deliveries of concurrent analyses in flight by analyzer and path (one, unless a path repeats). */
  readonly #inFlightDeliveries = new Map<string, number[]>();
  readonly #linkable = new Map<string, Linkable>();
  /** Streamed files of this layer that hardlinks may name, by analyzer and path (`FileStream.linked`). */
  readonly #streamedLinks = new Map<string, StreamedLink>();
  /** The distinct `StreamedLink.factless` lists, by their numbers joined. */
  readonly #factlessLists = new Map<string, readonly number[]>();
  #lastFactless: readonly number[] | undefined;
  readonly #linkableLimit: number;
  readonly #linkableFileLimit: number;
  #linkableBytes = 0;
  readonly #groupLimit: number;
  #groupBytes = 0;
  #bytesRead = 0;
  readonly #inFlight = new Set<Promise<void>>();
  #inFlightBytes = 0;
  readonly #maxInFlight: number;
  readonly #maxInFlightBytes: number;
  readonly #onPredicateFailure = (failure: PredicateFailure): void => {
    this.#failed(failure.analyzer, '', failure.error, 'its file predicate');
  };

  constructor(
    analyzers: readonly Analyzer[],
    context: AnalyzerContext,
    diagnostics: DiagnosticLog,
    options: DispatcherOptions = {},
  ) {
    this.#analyzers = analyzers;
    this.#context = context;
    this.#diagnostics = diagnostics;
    this.#index = new WantsIndex(analyzers);
    const maxRead = options.maxReadBytes ?? 1024 * MiB;
    this.#caps = analyzers.map((analyzer) => Math.min(analyzer.wants.maxBytes, maxRead));
    this.#groupFiles = analyzers.map(() => new Map<string, AnalyzedFile>());
    this.#linkableLimit = options.hardlinkCacheBytes ?? 64 * MiB;
    this.#linkableFileLimit = Math.min(options.hardlinkFileBytes ?? 16 * MiB, this.#linkableLimit);
    this.#groupLimit = options.groupBytes ?? 512 * MiB;
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? 256);
    this.#maxInFlightBytes = options.maxInFlightBytes ?? 64 * MiB;
  }

  /** Bytes of file content read so far (each wanted file counted once, however many analyzers got it). */
  get bytesRead(): number {
    return this.#bytesRead;
  }

  /**
   * Routes one regular file. Returns `undefined` when the content was drained unread, so the
   * walker need not await anything for the files no analyzer wants.
   */
  file(path: string, size: number, mode: number, content: FileContent): Promise<void> | undefined {
    const wanting = this.#index.match(path, size, mode, this.#onPredicateFailure);
    if (wanting === undefined) {
      content.drain();
      return undefined;
    }
    const readers = this.#withinCaps(wanting, path, size);
    if (readers.length === 0) {
      content.drain();
      return undefined;
    }
    if (readers.every((index) => this.#streams(index)))
      return this.#streamAndDeliver(path, size, mode, content, readers);
    return this.#readAndDeliver(path, size, mode, content, readers);
  }

  /** Whether an analyzer takes content as it streams (and is awaited in order, not in flight). */
  #streams(index: number): boolean {
    const analyzer = this.#analyzers[index];
    return analyzer?.kind === 'each' && analyzer.open !== undefined && analyzer.concurrent !== true;
  }

  /**
   * Routes a hardlink. Its content is that of its target, which tar stores earlier in the same
   * layer; it is at hand only if the target was itself read because some analyzer wanted it, or
   * streamed to an analyzer that can answer for a hardlink to it (`FileStream.linked`).
   */
  hardlink(path: string, target: string, mode: number): Promise<void> | undefined {
    const linked = this.#linkable.get(target);
    const streamed = this.#streamedLinks.get(target);
    const size = linked?.content.length ?? streamed?.size ?? 0;
    const wanting = this.#index.match(path, size, mode, this.#onPredicateFailure);
    if (wanting === undefined) return undefined;
    if (linked === undefined) {
      const delivery = ++this.#deliveries;
      for (const index of wanting) {
        const facts = this.#linkedToStreamed(index, streamed, target, path);
        if (facts !== undefined) {
          this.#forgetFacts(index, path);
          this.#keepFacts(index, path, delivery, facts);
          continue;
        }
        this.#diagnose(
          index,
          'hardlink_target_missing',
          path,
          `hardlink target ${target} was not read in this layer`,
        );
      }
      return undefined;
    }
    const readers = this.#withinCaps(wanting, path, size);
    if (readers.length === 0) return undefined;
    return this.#deliver({ path, size, mode: linked.mode, content: linked.content }, readers);
  }

  /** The facts of analyzer `index` for a hardlink at `path` to the streamed file `target`. */
  #linkedToStreamed(
    index: number,
    streamed: StreamedLink | undefined,
    target: string,
    path: string,
  ): readonly Fact[] | undefined {
    if (streamed === undefined) return undefined;
    const link = streamed.links.find((open) => open.index === index);
    if (link !== undefined) return link.stream.linked?.(path);
    if (!streamed.factless.includes(index)) return undefined;
    const analyzer = this.#analyzers[index];
    return analyzer?.kind === 'each' ? analyzer.linkedWithoutFacts?.(target, path) : undefined;
  }

  /** Ends the layer: the analyses in flight settle, then group analyzers get their files. */
  async finish(): Promise<void> {
    await Promise.all(this.#inFlight);
    this.#context.signal.throwIfAborted();
    for (let index = 0; index < this.#analyzers.length; index++) {
      const analyzer = this.#analyzers[index];
      const files = [...(this.#groupFiles[index]?.values() ?? [])];
      if (analyzer?.kind !== 'group' || files.length === 0) continue;
      try {
        this.#facts.push(...(await analyzer.analyzeGroup(files, this.#context)));
      } catch (error) {
        if (this.#context.signal.aborted) throw error;
        this.#failed(index, '', error, `its ${files.length} files`);
      }
      this.#groupFiles[index]?.clear();
    }
    this.#linkable.clear();
    this.#streamedLinks.clear();
  }

  /** The analyzers' facts so far, in the order they were produced. */
  facts(): readonly Fact[] {
    return [...[...this.#factsOfFile.values()].flatMap((entry) => entry.facts), ...this.#facts];
  }

  #withinCaps(wanting: readonly number[], path: string, size: number): number[] {
    const readers: number[] = [];
    for (const index of wanting) {
      const cap = this.#caps[index] ?? 0;
      if (size <= cap) readers.push(index);
      else
        this.#diagnose(
          index,
          'file_too_large',
          path,
          `file of ${size} bytes is over the analyzer's limit of ${cap} bytes`,
        );
    }
    return readers;
  }

  async #readAndDeliver(
    path: string,
    size: number,
    mode: number,
    content: FileContent,
    readers: readonly number[],
  ): Promise<void> {
    const buffer = await content.read();
    this.#bytesRead += buffer.length;
    const fileMode = (mode & 0o7777) | regularFileType;
    this.#remember(path, buffer, fileMode);
    await this.#deliver({ path, size: buffer.length, mode: fileMode, content: buffer }, readers);
    this.#release(path, buffer, readers);
  }

  /**
   * Frees a large file's content now that its analyzers are done with it (EachFileAnalyzer: "its
   * content is released afterwards"), instead of when V8 next collects the old generation: a
   * dropped Buffer's memory lies outside the heap, and in an image of 50 MB Go binaries two or
   * three of them waited for that collection at once (go-binaries: 165-190 MB of buffers at the
   * peak). Content kept for hardlinks, held by a group analyzer until the layer ends or by an
   * analysis still in flight is left alone, and so is a buffer that shares its memory (a small
   * one may be a slice of Node's pool).
   */
  #release(path: string, buffer: Buffer, readers: readonly number[]): void {
    const memory = buffer.buffer;
    if (buffer.length < releasedContentBytes || !(memory instanceof ArrayBuffer)) return;
    if (buffer.byteOffset !== 0 || memory.byteLength !== buffer.length || memory.detached) return;
    if (this.#linkable.get(path)?.content === buffer) return;
    for (const index of readers) {
      const analyzer = this.#analyzers[index];
      if (analyzer === undefined || analyzer.kind === 'group' || analyzer.concurrent === true) return;
    }
    memory.transfer(0);
  }

  /**
   * Streams a file to analyzers that all take it part by part: nothing is collected. A stream
   * that throws is dropped with an `analyzer_failed` diagnostic; the others go on.
   */
  #streamAndDeliver(
    path: string,
    size: number,
    mode: number,
    content: FileContent,
    readers: readonly number[],
  ): Promise<void> | undefined {
    const file = { path, size, mode: (mode & 0o7777) | regularFileType };
    const delivery = ++this.#deliveries;
    const streams: OpenStream[] = [];
    for (const index of readers) {
      // An earlier entry of this path was replaced by this one.
      this.#forgetFacts(index, path);
      const open = this.#open(index, file);
      if (open !== undefined) streams.push(open);
    }
    const ended = (): Promise<void> | undefined => {
      this.#bytesRead += size;
      this.#forgetLinkable(path);
      return this.#end(file, delivery, streams);
    };
    // An empty file has no parts to wait for.
    if (size === 0) return ended();
    content.stream((part) => {
      for (const open of streams) this.#write(open, path, part);
    }, ended);
    return undefined;
  }

  async #deliver(file: AnalyzedFile, readers: readonly number[]): Promise<void> {
    const delivery = ++this.#deliveries;
    const streams: OpenStream[] = [];
    for (const index of readers) {
      const analyzer = this.#analyzers[index];
      if (analyzer === undefined) continue;
      if (analyzer.kind === 'group') {
        this.#collect(index, file);
        continue;
      }
      // An earlier entry of this path was replaced by this one.
      this.#forgetFacts(index, file.path);
      // A streaming analyzer gets read content as one part: its facts never depend on who else read.
      if (this.#streams(index)) {
        const open = this.#open(index, file);
        if (open === undefined) continue;
        this.#write(open, file.path, file.content);
        streams.push(open);
        continue;
      }
      if (analyzer.concurrent === true) {
        await this.#startInFlight(index, analyzer, file, delivery);
        continue;
      }
      try {
        this.#keepFacts(index, file.path, delivery, await analyzer.analyze(file, this.#context));
      } catch (error) {
        if (this.#context.signal.aborted) throw error;
        this.#failed(index, file.path, error, file.path);
      }
    }
    if (streams.length > 0) await this.#end(file, delivery, streams);
  }

  /** Opens a streaming analyzer on a file; undefined, with a diagnostic, when it throws. */
  #open(index: number, file: StreamedFile): OpenStream | undefined {
    const analyzer = this.#analyzers[index];
    if (analyzer?.kind !== 'each' || analyzer.open === undefined) return undefined;
    try {
      return { index, stream: analyzer.open(file, this.#context), failed: false };
    } catch (error) {
      this.#failed(index, file.path, error, file.path);
      return undefined;
    }
  }

  #write(open: OpenStream, path: string, part: Buffer): void {
    if (open.failed) return;
    try {
      open.stream.write(part);
    } catch (error) {
      open.failed = true;
      this.#failed(open.index, path, error, path);
    }
  }

  /**
   * Ends a file's streams: keeps their facts, and keeps them for hardlinks to the file. A promise
   * only when a stream's `end` gives one: most files end at once, without a promise each.
   */
  #end(file: StreamedFile, delivery: number, streams: readonly OpenStream[]): Promise<void> | undefined {
    const links: Links = { streams: [], factless: [] };
    for (let position = 0; position < streams.length; position++) {
      const open = streams[position] as OpenStream;
      if (open.failed) continue;
      let facts: readonly Fact[] | Promise<readonly Fact[]>;
      try {
        facts = open.stream.end();
      } catch (error) {
        if (this.#context.signal.aborted) throw error;
        this.#failed(open.index, file.path, error, file.path);
        continue;
      }
      if (facts instanceof Promise) return this.#endLater(file, delivery, streams, position, facts, links);
      this.#ended(open, file.path, delivery, facts, links);
    }
    this.#keepLinks(file, links);
    return undefined;
  }

  /** `#end` on from the stream at `position`, whose `end` gave the promise `pending`. */
  async #endLater(
    file: StreamedFile,
    delivery: number,
    streams: readonly OpenStream[],
    position: number,
    pending: Promise<readonly Fact[]>,
    links: Links,
  ): Promise<void> {
    for (let at = position; at < streams.length; at++) {
      const open = streams[at] as OpenStream;
      if (open.failed) continue;
      try {
        this.#ended(open, file.path, delivery, await (at === position ? pending : open.stream.end()), links);
      } catch (error) {
        if (this.#context.signal.aborted) throw error;
        this.#failed(open.index, file.path, error, file.path);
      }
    }
    this.#keepLinks(file, links);
  }

  #ended(open: OpenStream, path: string, delivery: number, facts: readonly Fact[], links: Links): void {
    this.#keepFacts(open.index, path, delivery, facts);
    const analyzer = this.#analyzers[open.index];
    if (facts.length === 0 && analyzer?.kind === 'each' && analyzer.linkedWithoutFacts !== undefined)
      links.factless.push(open.index);
    else if (open.stream.linked !== undefined) links.streams.push(open);
  }

  /**
   * Keeps what hardlinks to a streamed file will ask: the streams that had facts, and only the
   * numbers of the analyzers whose streams had none (`linkedWithoutFacts`), in lists shared by
   * every file with the same ones. Most files have no facts, so a layer of 40,000 files keeps one
   * small record each instead of their streams.
   */
  #keepLinks(file: StreamedFile, links: Links): void {
    if (links.streams.length === 0 && links.factless.length === 0) {
      this.#streamedLinks.delete(file.path);
      return;
    }
    const factless = this.#sharedFactless(links.factless);
    this.#streamedLinks.set(file.path, {
      size: file.size,
      links: links.streams.length === 0 ? noStreams : links.streams,
      factless,
    });
  }

  /**
   * Starts a concurrent analysis and returns once the bounds allow the walk to read on. Its facts
   * join the layer's when it settles (their order is the report's to impose); a failure is an
   * `analyzer_failed` diagnostic unless the walk was aborted, which `finish` then reports.
   */
  async #startInFlight(
    index: number,
    analyzer: EachFileAnalyzer,
    file: AnalyzedFile,
    delivery: number,
  ): Promise<void> {
    while (
      this.#inFlight.size > 0 &&
      (this.#inFlight.size >= this.#maxInFlight || this.#inFlightBytes + file.size > this.#maxInFlightBytes)
    ) {
      await Promise.race(this.#inFlight);
    }
    this.#context.signal.throwIfAborted();
    this.#inFlightBytes += file.size;
    const key = factsKey(index, file.path);
    this.#inFlightDeliveries.set(key, [...(this.#inFlightDeliveries.get(key) ?? []), delivery]);
    const analysis = this.#analyzeInFlight(index, analyzer, file, delivery).finally(() => {
      const others = (this.#inFlightDeliveries.get(key) ?? []).filter((number) => number !== delivery);
      if (others.length === 0) this.#inFlightDeliveries.delete(key);
      else this.#inFlightDeliveries.set(key, others);
      this.#inFlightBytes -= file.size;
      this.#inFlight.delete(analysis);
    });
    this.#inFlight.add(analysis);
  }

  async #analyzeInFlight(
    index: number,
    analyzer: EachFileAnalyzer,
    file: AnalyzedFile,
    delivery: number,
  ): Promise<void> {
    try {
      this.#keepFacts(index, file.path, delivery, await analyzer.analyze(file, this.#context));
    } catch (error) {
      if (!this.#context.signal.aborted) this.#failed(index, file.path, error, file.path);
    }
  }

  #forgetFacts(index: number, path: string): void {
    if (this.#pathsWithFacts.has(path)) this.#factsOfFile.delete(factsKey(index, path));
  }

  /** Keeps one analysis's facts, unless a later entry of the same path already has its own. */
  #keepFacts(index: number, path: string, delivery: number, facts: readonly Fact[]): void {
    // Nothing kept of the path and nothing in flight: no facts leave nothing to do.
    if (facts.length === 0 && this.#inFlightDeliveries.size === 0 && !this.#pathsWithFacts.has(path)) return;
    const key = factsKey(index, path);
    const kept = this.#factsOfFile.get(key);
    if (kept !== undefined && kept.delivery > delivery) return;
    // No facts need no entry, unless an earlier entry of the path is still in flight: then an
    // empty one marks that this later entry's (lack of) facts wins.
    const earlierInFlight = (this.#inFlightDeliveries.get(key) ?? []).some((number) => number < delivery);
    if (facts.length === 0 && !earlierInFlight) {
      if (kept !== undefined) this.#factsOfFile.delete(key);
      return;
    }
    this.#factsOfFile.set(key, { delivery, facts });
    this.#pathsWithFacts.add(path);
  }

  #collect(index: number, file: AnalyzedFile): void {
    if (this.#groupBytes + file.size > this.#groupLimit) {
      this.#diagnose(
        index,
        'file_too_large',
        file.path,
        `the layer's files for group analyzers exceed ${this.#groupLimit} bytes`,
      );
      return;
    }
    const files = this.#groupFiles[index];
    // A later entry of the same path replaces the earlier one.
    this.#groupBytes += file.size - (files?.get(file.path)?.size ?? 0);
    files?.delete(file.path);
    files?.set(file.path, file);
  }

  /** Keeps read content for hardlinks that may follow, oldest dropped first beyond the byte budget. */
  #remember(path: string, content: Buffer, mode: number): void {
    this.#streamedLinks.delete(path);
    this.#forgetLinkable(path);
    if (content.length > this.#linkableFileLimit) return;
    this.#linkable.set(path, { content, mode });
    this.#linkableBytes += content.length;
    for (const [oldPath, old] of this.#linkable) {
      if (this.#linkableBytes <= this.#linkableLimit) break;
      this.#linkable.delete(oldPath);
      this.#linkableBytes -= old.content.length;
    }
  }

  /** A later entry of a path replaces what an earlier one left for hardlinks. */
  #forgetLinkable(path: string): void {
    const previous = this.#linkable.get(path);
    if (previous === undefined) return;
    this.#linkableBytes -= previous.content.length;
    this.#linkable.delete(path);
  }

  /** The kept list equal to `list`: the last one again, mostly. */
  #sharedFactless(list: readonly number[]): readonly number[] {
    const last = this.#lastFactless;
    if (last !== undefined && sameNumbers(last, list)) return last;
    const key = list.join(',');
    let shared = this.#factlessLists.get(key);
    if (shared === undefined) this.#factlessLists.set(key, (shared = list));
    this.#lastFactless = shared;
    return shared;
  }

  #failed(index: number, path: string, error: unknown, what: string): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#diagnose(index, 'analyzer_failed', path, `analyzer failed on ${what}: ${message}`);
  }

  #diagnose(
    index: number,
    code: 'analyzer_failed' | 'file_too_large' | 'hardlink_target_missing',
    path: string,
    message: string,
  ): void {
    this.#diagnostics.add(this.#analyzers[index]?.id ?? 'unknown', code, path, message);
  }
}

interface OpenStream {
  readonly index: number;
  readonly stream: FileStream;
  /** It threw: it gets no more parts, and its facts are an `analyzer_failed` diagnostic. */
  failed: boolean;
}

interface StreamedLink {
  readonly size: number;
  /** Streams that had facts (or whose analyzer cannot answer for hardlinks without them). */
  readonly links: readonly OpenStream[];
  /** Analyzers whose streams ended without facts: their `linkedWithoutFacts` answers. */
  readonly factless: readonly number[];
}

/** A file's ended streams, sorted for `#keepLinks`. */
interface Links {
  readonly streams: OpenStream[];
  readonly factless: number[];
}

const noStreams: readonly OpenStream[] = [];

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let at = 0; at < a.length; at++) if (a[at] !== b[at]) return false;
  return true;
}

function factsKey(index: number, path: string): string {
  return `${index}\u0000${path}`;
}
