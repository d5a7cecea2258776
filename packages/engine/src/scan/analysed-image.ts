import { availableParallelism } from 'node:os';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { Analyzer } from '../analyzer/contract.ts';
import type { LayerRef } from '../analyzer/layer-ref.ts';
import type { Image } from '../image/types.ts';
import type { SurvivingFiles } from '../inventory/surviving-files.ts';
import type { ImageCacheEntry } from '../layer/image-cache-entry.ts';
import { ImageFilesystem, type ImageTotals } from '../layer/image-filesystem.ts';
import { OrderedLayerSinks } from '../layer/ordered-sink.ts';
import type { LayerWalkResult, WalkBudget } from '../layer/types.ts';
import { walkLayer } from '../layer/walk-layer.ts';
import { toDrydockError } from '../util/errors.ts';
import type { ScanLimits } from '../util/limits.ts';
import type { ImageLayerCache } from './layer-cache.ts';
import type { ScanOptions } from './scan-source.ts';

/** Counts bytes flowing through without touching them. */
class ByteCounter extends Transform {
  private readonly onBytes: (bytes: number) => void;

  constructor(onBytes: (bytes: number) => void) {
    super({ highWaterMark: 1 << 20 });
    this.onBytes = onBytes;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.onBytes(chunk.length);
    callback(null, chunk);
  }
}

/** An image's layers analysed: by walking (and replaying cached layers), or read whole from the cache. */
export interface AnalysedImage {
  /** In layer order. */
  readonly results: readonly LayerWalkResult[];
  readonly fromCache: ReadonlySet<number>;
  readonly survivors: SurvivingFiles;
  readonly totals: ImageTotals;
}

export interface WalkImageInput {
  readonly image: Image;
  readonly refs: readonly LayerRef[];
  readonly analyzersOf: (index: number) => readonly Analyzer[];
  /** Each layer's cache key, where there is a cache and the layer has one. */
  readonly layerKeys: readonly (string | undefined)[];
  readonly layerCache: ImageLayerCache | undefined;
  readonly limits: ScanLimits;
  readonly budget: WalkBudget;
  /** Program names the totals list. */
  readonly named: ReadonlySet<string>;
  readonly options: ScanOptions;
}

/**
 * Walks every layer once with all analyzers (or replays it from the layer cache) into the merged
 * filesystem. Layers are walked concurrently (decompression runs on libuv's threads, so each
 * concurrent walk keeps another core busy) while the merged filesystem still receives them strictly
 * in order, because whiteouts only make sense against the layers below.
 */
export async function walkImage(input: WalkImageInput): Promise<AnalysedImage> {
  const { image, refs, layerCache, limits, budget, options } = input;
  const { signal, onProgress } = options;
  const { metadata } = image;
  const platform = metadata.platform;
  const filesystem = new ImageFilesystem();
  const fromCache = new Set<number>();
  const sinks = new OrderedLayerSinks(filesystem, metadata.layers.length);
  const concurrency = Math.max(
    1,
    Math.min(options.layerConcurrency ?? availableParallelism(), metadata.layers.length),
  );
  const results: LayerWalkResult[] = [];
  const failure = new AbortController();
  const walkSignal = AbortSignal.any([signal, failure.signal]);
  let next = 0;
  const walkNext = async (): Promise<void> => {
    for (let index = next++; index < metadata.layers.length; index = next++) {
      const layer = metadata.layers[index];
      const ref = refs[index];
      if (!layer || !ref) return;
      onProgress?.({ type: 'layer-start', platform, index, size: layer.size });
      const analyzers = input.analyzersOf(index);
      const key = input.layerKeys[index];
      const cached =
        layerCache && key !== undefined
          ? await layerCache.replay({ key, layer: ref, budget, sink: sinks.sink(index), signal: walkSignal })
          : undefined;
      if (cached) {
        // A hit: the layer's facts and filesystem entries come from the cache, the blob is not opened.
        results[index] = cached;
        fromCache.add(index);
      } else {
        const blob: Readable = await image.openLayer(index, walkSignal);
        const counted = onProgress
          ? blob.pipe(new ByteCounter((bytes) => onProgress({ type: 'layer-bytes', platform, index, bytes })))
          : blob;
        if (counted !== blob) blob.on('error', (error) => counted.destroy(error));
        const recorder = layerCache && key !== undefined ? layerCache.recorder(sinks.sink(index)) : undefined;
        const walked = await walkLayer({
          stream: counted,
          mediaType: layer.mediaType,
          layer: ref,
          analyzers,
          limits,
          budget,
          sink: recorder ?? sinks.sink(index),
          signal: walkSignal,
        });
        results[index] = walked;
        if (layerCache && key !== undefined && recorder) layerCache.store(key, ref, walked, recorder);
      }
      sinks.done(index);
      onProgress?.({ type: 'layer-done', platform, index });
    }
  };
  const walkers = Array.from({ length: concurrency }, () =>
    walkNext().catch((error: unknown) => {
      failure.abort(error);
      throw error;
    }),
  );
  const settled = await Promise.allSettled(walkers);
  await layerCache?.settle();
  if (signal.aborted) throw toDrydockError(signal.reason, signal);
  const firstFailure = settled.find(
    (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
  );
  if (firstFailure) throw toDrydockError(failure.signal.reason ?? firstFailure.reason);
  return {
    results,
    fromCache,
    survivors: {
      layerOf: (path) => {
        const entry = filesystem.lookup(path);
        return entry?.type === 'file' ? entry.layer : undefined;
      },
    },
    totals: filesystem.totals({ named: input.named }),
  };
}

/**
 * The image as the cache keeps it. `SurvivingFiles` is only ever asked about the path of a fact,
 * so the answer for every fact's path is all the report needs of the filesystem beside the totals.
 */
export function imageCacheEntryOf(analysed: AnalysedImage): ImageCacheEntry {
  const surviving = new Map<string, number | undefined>();
  for (const result of analysed.results) {
    for (const fact of result.facts) {
      const path = (fact as { readonly path?: unknown }).path;
      if (typeof path === 'string' && !surviving.has(path))
        surviving.set(path, analysed.survivors.layerOf(path));
    }
  }
  return { results: analysed.results, surviving, totals: analysed.totals };
}

/** An image read whole from the cache: every layer counts as from the cache. */
export function analysedFromCache(entry: ImageCacheEntry): AnalysedImage {
  return {
    results: entry.results,
    fromCache: new Set(entry.results.map((_, index) => index)),
    survivors: { layerOf: (path) => storedAnswer(entry.surviving, path) },
    totals: entry.totals,
  };
}

/** A stored answer of `survivingOfFacts`; a path it never saw is a defect, not a missing file. */
function storedAnswer(surviving: ReadonlyMap<string, number | undefined>, path: string): number | undefined {
  if (!surviving.has(path))
    throw new Error(`the image cache entry has no answer for ${path}, not a fact's path`);
  return surviving.get(path);
}
