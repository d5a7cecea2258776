import type { LayerRef } from '../analyzer/layer-ref.ts';
import {
  decodeFacts,
  encodeFacts,
  isCount,
  isCountArray,
  isStringArray,
  packEntry,
  unpackEntry,
  CacheEntryError,
  type Json,
} from './cache-entry-codec.ts';
import { isConsistentRecording, type RecordedLayer } from './recorded-layer.ts';
import type { LayerWalkResult } from './types.ts';

/**
 * The stored form of one analysed layer: its walk result (facts and counters) and the operations
 * it applied to the merged filesystem, in the format of `cache-entry-codec.ts`. The layer's
 * identity in the image it was walked in (index, digest, created-by) is left out of the facts, so
 * the entry can be replayed at another index of another image: `decodeLayerCacheEntry` puts the
 * new image's LayerRef wherever the old one was.
 */
export interface LayerCacheEntry {
  readonly result: LayerWalkResult;
  readonly recorded: RecordedLayer;
}

/** Bumped whenever the stored shape changes; older entries then read as corrupt (a miss). */
const entryFormat = 1;

interface StoredEntry {
  readonly format: number;
  readonly entries: number;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  readonly facts: Json[];
  readonly recorded: RecordedLayer;
}

/** Serialises a walked layer; `layer` is the LayerRef its facts carry. @throws CacheEntryError */
export async function encodeLayerCacheEntry(entry: LayerCacheEntry, layer: LayerRef): Promise<Uint8Array> {
  const stored: StoredEntry = {
    format: entryFormat,
    entries: entry.result.entries,
    compressedBytes: entry.result.compressedBytes,
    uncompressedBytes: entry.result.uncompressedBytes,
    facts: encodeFacts(entry.result.facts, layer),
    recorded: entry.recorded,
  };
  return packEntry(stored);
}

/**
 * Reads an entry back with `layer` as the LayerRef of its facts.
 * @throws CacheEntryError (`corrupt_entry`) for anything that is not an intact entry
 */
export async function decodeLayerCacheEntry(bytes: Uint8Array, layer: LayerRef): Promise<LayerCacheEntry> {
  const parsed = await unpackEntry(bytes, 'layer cache entry');
  if (!isStoredEntry(parsed)) throw new CacheEntryError('corrupt_entry', 'not a layer cache entry');
  return {
    result: {
      facts: decodeFacts(parsed.facts, layer),
      entries: parsed.entries,
      compressedBytes: parsed.compressedBytes,
      uncompressedBytes: parsed.uncompressedBytes,
    },
    recorded: parsed.recorded,
  };
}

function isRecordedLayer(value: unknown): value is RecordedLayer {
  if (typeof value !== 'object' || value === null) return false;
  const recorded = value as Record<string, unknown>;
  return (
    typeof recorded['kinds'] === 'string' &&
    isStringArray(recorded['paths']) &&
    isCountArray(recorded['modes']) &&
    isCountArray(recorded['sizes']) &&
    isStringArray(recorded['links']) &&
    isConsistentRecording(recorded as unknown as RecordedLayer)
  );
}

function isStoredEntry(value: unknown): value is StoredEntry {
  if (typeof value !== 'object' || value === null) return false;
  const stored = value as Record<string, unknown>;
  return (
    stored['format'] === entryFormat &&
    isCount(stored['entries']) &&
    isCount(stored['compressedBytes']) &&
    isCount(stored['uncompressedBytes']) &&
    Array.isArray(stored['facts']) &&
    isRecordedLayer(stored['recorded'])
  );
}
