import type { Readable } from 'node:stream';
import type { Analyzer } from '../analyzer/contract.ts';
import type { Fact } from '../analyzer/fact.ts';
import type { LayerRef } from '../analyzer/layer-ref.ts';
import type { ScanLimits } from '../util/limits.ts';

export type EntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

/** One tar entry after path normalisation (whiteouts are reported separately). */
export interface LayerEntry {
  /** Normalised path: relative to the image root, no leading `/` or `./`, never containing `..`. */
  readonly path: string;
  readonly type: EntryType;
  /** Bytes of a regular file; 0 for everything else. */
  readonly size: number;
  /** Mode bits as in the tar header (permission bits plus setuid 0o4000, setgid 0o2000, sticky 0o1000). */
  readonly mode: number;
  /** Target of a symlink (as written) or a hardlink (normalised path). */
  readonly linkTarget?: string;
}

/**
 * Receives every entry of a layer in stream order, to build the image's merged filesystem view
 * (overlay semantics) without keeping the layer. `whiteout(path)` removes `path` from lower
 * layers; `opaque(dir)` hides everything lower layers put under `dir`.
 */
export interface LayerEntrySink {
  entry(entry: LayerEntry, layerIndex: number): void;
  whiteout(path: string, layerIndex: number): void;
  opaque(directory: string, layerIndex: number): void;
}

/** Counters shared by all layers of one image, so image-wide limits hold. */
export interface WalkBudget {
  files: number;
  uncompressedBytes: number;
}

export interface LayerWalkInput {
  /** The layer blob as stored: gzip, zstd or plain tar (detected from magic bytes, media type as hint). */
  readonly stream: Readable;
  readonly mediaType: string;
  readonly layer: LayerRef;
  readonly analyzers: readonly Analyzer[];
  readonly limits: ScanLimits;
  readonly budget: WalkBudget;
  readonly sink?: LayerEntrySink;
  readonly signal: AbortSignal;
}

export interface LayerWalkResult {
  /** Analyzer facts, the layer's `file-stats` fact and the walker's diagnostics. */
  readonly facts: readonly Fact[];
  readonly entries: number;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
}
