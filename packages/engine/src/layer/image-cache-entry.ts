import type { LayerRef } from '../analyzer/layer-ref.ts';
import {
  CacheEntryError,
  decodeFacts,
  encodeFacts,
  isCount,
  isStringArray,
  packEntry,
  unpackEntry,
  type Json,
} from './cache-entry-codec.ts';
import type { ImageTotals, LayeredFile } from './image-filesystem.ts';
import type { LayerWalkResult } from './types.ts';

/**
 * The stored form of one analysed image: every layer's walk result, and what the report asks of
 * the merged filesystem, so a re-scan of the same layers builds its report without walking or
 * replaying a single entry. A layer cache entry keeps a layer's filesystem operations so other
 * images can stack it; this keeps only the answers, so it stays small for an image of a million
 * files (whose layers are too big to record).
 *
 * The report asks the filesystem two things: the surviving layer of each fact's path
 * (`SurvivingFiles`), and the totals. `surviving` holds the answer for the path of every fact of
 * every layer; the totals are those asked for with the programs named in the cache key.
 */
export interface ImageCacheEntry {
  /** In layer order. */
  readonly results: readonly LayerWalkResult[];
  /** Path → the layer whose regular file survives there; a path without one maps to undefined. */
  readonly surviving: ReadonlyMap<string, number | undefined>;
  readonly totals: ImageTotals;
}

/** Bumped whenever the stored shape changes; older entries then read as corrupt (a miss). */
const entryFormat = 1;

interface StoredLayer {
  readonly entries: number;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  readonly facts: Json[];
}

interface StoredEntry {
  readonly format: number;
  readonly layers: StoredLayer[];
  /** Parallel arrays; -1 for no surviving file. */
  readonly survivingPaths: string[];
  readonly survivingLayers: number[];
  readonly totals: ImageTotals;
}

/** `layers` are the LayerRefs the results' facts carry, in layer order. @throws CacheEntryError */
export async function encodeImageCacheEntry(
  entry: ImageCacheEntry,
  layers: readonly LayerRef[],
): Promise<Uint8Array> {
  if (entry.results.length !== layers.length) throw new RangeError('one LayerRef per layer result');
  const survivingPaths: string[] = [];
  const survivingLayers: number[] = [];
  for (const [path, layer] of entry.surviving) {
    survivingPaths.push(path);
    survivingLayers.push(layer ?? -1);
  }
  const stored: StoredEntry = {
    format: entryFormat,
    layers: entry.results.map((result, index) => ({
      entries: result.entries,
      compressedBytes: result.compressedBytes,
      uncompressedBytes: result.uncompressedBytes,
      facts: encodeFacts(result.facts, layers[index] as LayerRef),
    })),
    survivingPaths,
    survivingLayers,
    totals: entry.totals,
  };
  return packEntry(stored);
}

/**
 * Reads an entry back for an image whose layers are `layers` (their facts carry these refs).
 * @throws CacheEntryError (`corrupt_entry`) for anything that is not an intact entry of as many layers
 */
export async function decodeImageCacheEntry(
  bytes: Uint8Array,
  layers: readonly LayerRef[],
): Promise<ImageCacheEntry> {
  const parsed = await unpackEntry(bytes, 'image cache entry');
  if (!isStoredEntry(parsed) || parsed.layers.length !== layers.length) {
    throw new CacheEntryError('corrupt_entry', 'not an image cache entry of this image');
  }
  const surviving = new Map<string, number | undefined>();
  parsed.survivingPaths.forEach((path, index) => {
    const layer = parsed.survivingLayers[index] as number;
    surviving.set(path, layer < 0 ? undefined : layer);
  });
  return {
    results: parsed.layers.map((layer, index) => ({
      facts: decodeFacts(layer.facts, layers[index] as LayerRef),
      entries: layer.entries,
      compressedBytes: layer.compressedBytes,
      uncompressedBytes: layer.uncompressedBytes,
    })),
    surviving,
    totals: parsed.totals,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isStoredLayer(value: unknown): value is StoredLayer {
  return (
    isObject(value) &&
    isCount(value['entries']) &&
    isCount(value['compressedBytes']) &&
    isCount(value['uncompressedBytes']) &&
    Array.isArray(value['facts'])
  );
}

function isLayeredFiles(value: unknown): value is LayeredFile[] {
  return (
    Array.isArray(value) &&
    value.every(
      (file) =>
        isObject(file) && typeof file['path'] === 'string' && isCount(file['size']) && isCount(file['layer']),
    )
  );
}

function isImageTotals(value: unknown): value is ImageTotals {
  if (!isObject(value)) return false;
  const counts = [
    'files',
    'directories',
    'symlinks',
    'hardlinks',
    'others',
    'totalBytes',
    'setuidCount',
    'setgidCount',
    'worldWritableCount',
  ];
  return (
    counts.every((name) => isCount(value[name])) &&
    isLayeredFiles(value['largest']) &&
    isLayeredFiles(value['named']) &&
    isStringArray(value['setuid']) &&
    isStringArray(value['setgid']) &&
    isStringArray(value['worldWritable'])
  );
}

function isStoredEntry(value: unknown): value is StoredEntry {
  if (!isObject(value)) return false;
  const paths = value['survivingPaths'];
  const layers = value['survivingLayers'];
  return (
    value['format'] === entryFormat &&
    Array.isArray(value['layers']) &&
    value['layers'].every(isStoredLayer) &&
    isStringArray(paths) &&
    Array.isArray(layers) &&
    layers.length === paths.length &&
    layers.every((layer) => Number.isSafeInteger(layer) && (layer as number) >= -1) &&
    isImageTotals(value['totals'])
  );
}
