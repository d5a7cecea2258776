import type { Fact } from './fact.ts';
import type { LayerRef } from './layer-ref.ts';

/**
 * The files an analyzer wants. Mostly data, so the walker builds one lookup table for all
 * analyzers and reads each layer once; `match` is the escape hatch for what data cannot say.
 * Paths are normalised: relative to the image root, no leading `/` or `./`, `/` separators.
 */
export interface FileWants {
  readonly paths?: readonly string[];
  readonly basenames?: readonly string[];
  readonly suffixes?: readonly string[];
  /** Directory prefixes ending in `/` (for example `var/lib/dpkg/status.d/`). */
  readonly prefixes?: readonly string[];
  readonly match?: (path: string, size: number, mode: number) => boolean;
  /**
   * What must hold before `match` is asked, so the walk routes most files without calling it (a
   * million-file layer made seven predicates cost 0.15 s): the path ends with one of `suffixes`,
   * and, with `executable`, the mode has an execute bit. `match` must be false wherever this fails.
   */
  readonly matchGuard?: { readonly suffixes?: readonly string[]; readonly executable?: true };
  /** Wanted files larger than this are not read; the analyzer gets a `file_too_large` diagnostic instead. */
  readonly maxBytes: number;
}

/** One wanted regular file, with its whole content. */
export interface AnalyzedFile {
  readonly path: string;
  readonly size: number;
  /** Permission bits and file type bits as in tar (`0o100644`, with setuid `0o4000` ...). */
  readonly mode: number;
  readonly content: Buffer;
}

export interface AnalyzerContext {
  readonly layer: LayerRef;
  readonly signal: AbortSignal;
}

interface AnalyzerBase {
  /** Stable identifier; part of the layer cache key. */
  readonly id: string;
  /** Bumped whenever the analyzer's output for the same input changes; part of the cache key. */
  readonly version: number;
  readonly wants: FileWants;
}

/** A wanted regular file before its content: what `EachFileAnalyzer.open` is told. */
export type StreamedFile = Omit<AnalyzedFile, 'content'>;

/** One file's content as it streams by, for an analyzer that need not hold all of it. */
export interface FileStream {
  /** The next part of the content: a view that is valid only during the call (copy what is kept). */
  write(part: Buffer): void;
  /** The content is over: the facts about the file. */
  end(): readonly Fact[] | Promise<readonly Fact[]>;
  /**
   * After `end`: the facts for a hardlink at `path` to this file (same content, another name), or
   * undefined when the stream did not keep what it would need. Keep only small results here.
   */
  linked?(path: string): readonly Fact[] | undefined;
}

/** Called once per wanted file as the layer streams by; its content is released afterwards. */
export interface EachFileAnalyzer extends AnalyzerBase {
  readonly kind: 'each';
  /**
   * Takes the content as it streams instead of whole (a digest needs no copy of the file). The walk
   * streams a file when every analyzer that wants it can; otherwise each gets `analyze`, which must
   * give the same facts.
   */
  open?(file: StreamedFile, context: AnalyzerContext): FileStream;
  /**
   * With `open`: the facts for a hardlink at `link` to a streamed file at `target` whose stream
   * ended without facts, told from the two names alone, or undefined where they cannot be (what
   * the stream's `linked` would answer). The walk then keeps nothing of such streams until the
   * layer ends: keeping every file's streams for hardlinks that may follow cost a scan of
   * debian-node with the secret and malware checks 45 MB of peak memory and 0.3-0.6 s.
   */
  linkedWithoutFacts?(target: string, link: string): readonly Fact[] | undefined;
  /**
   * The walk need not wait for this analyzer's answer before reading on: its work happens off
   * the main thread (worker threads, a daemon), so several files are in flight at once. The
   * dispatcher bounds how many and how many bytes, and collects the facts before the layer ends.
   */
  readonly concurrent?: boolean;
  analyze(file: AnalyzedFile, context: AnalyzerContext): readonly Fact[] | Promise<readonly Fact[]>;
}

/** Called once per layer with every wanted file of that layer (dpkg status plus its `info/*.list`). */
export interface LayerGroupAnalyzer extends AnalyzerBase {
  readonly kind: 'group';
  analyzeGroup(
    files: readonly AnalyzedFile[],
    context: AnalyzerContext,
  ): readonly Fact[] | Promise<readonly Fact[]>;
}

/**
 * An analyzer reads files and returns facts. It never walks, globs, or touches the network or the
 * filesystem; a problem with one file is a `diagnostic` fact, not an exception.
 */
export type Analyzer = EachFileAnalyzer | LayerGroupAnalyzer;
