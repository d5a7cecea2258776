import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Fact } from '../analyzer/fact.ts';
import type { LayerRef } from '../analyzer/layer-ref.ts';
import { isConsistentRecording, type RecordedLayer } from './recorded-layer.ts';
import type { LayerWalkResult } from './types.ts';

/**
 * The stored form of one analysed layer: its walk result (facts and counters) and the operations
 * it applied to the merged filesystem, as gzip-compressed JSON. The layer's identity in the image
 * it was walked in (index, digest, created-by) is left out of the facts, so the entry can be
 * replayed at another index of another image: `decodeLayerCacheEntry` puts the new image's
 * LayerRef wherever the old one was.
 *
 * Facts are plain data, but JSON alone would lose some of it: `undefined` properties (kept, so a
 * replayed report is the walked one exactly), byte arrays and Buffers, and non-finite numbers are
 * written as tagged objects `{"$": tag, "v": value}`; keys that begin with `$` are escaped by one
 * more `$`. Anything else that is not plain data (a Map, a Date, a class instance) makes the layer
 * uncacheable rather than silently changed.
 */
export interface LayerCacheEntry {
  readonly result: LayerWalkResult;
  readonly recorded: RecordedLayer;
}

export type LayerCacheEntryErrorCode =
  /** A fact holds a value the format cannot carry (the layer is then not stored). */
  | 'uncacheable_value'
  /** The stored bytes are not an entry of this format (damaged, truncated, or another version). */
  | 'corrupt_entry';

export class LayerCacheEntryError extends Error {
  constructor(
    readonly code: LayerCacheEntryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LayerCacheEntryError';
  }
}

/** Bumped whenever the stored shape changes; older entries then read as corrupt (a miss). */
const entryFormat = 1;
/** A damaged or hostile entry must not inflate without bound. */
const maxInflatedBytes = 1024 ** 3;

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface StoredEntry {
  readonly format: number;
  readonly entries: number;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  readonly facts: Json[];
  readonly recorded: RecordedLayer;
}

/** Serialises a walked layer; `layer` is the LayerRef its facts carry. @throws LayerCacheEntryError */
export async function encodeLayerCacheEntry(entry: LayerCacheEntry, layer: LayerRef): Promise<Uint8Array> {
  const stored: StoredEntry = {
    format: entryFormat,
    entries: entry.result.entries,
    compressedBytes: entry.result.compressedBytes,
    uncompressedBytes: entry.result.uncompressedBytes,
    facts: entry.result.facts.map((fact) => encodeValue(fact, layer)),
    recorded: entry.recorded,
  };
  return gzipAsync(Buffer.from(JSON.stringify(stored), 'utf8'));
}

/**
 * Reads an entry back with `layer` as the LayerRef of its facts.
 * @throws LayerCacheEntryError (`corrupt_entry`) for anything that is not an intact entry
 */
export async function decodeLayerCacheEntry(bytes: Uint8Array, layer: LayerRef): Promise<LayerCacheEntry> {
  let parsed: unknown;
  try {
    const text = await gunzipAsync(bytes, { maxOutputLength: maxInflatedBytes });
    parsed = JSON.parse(text.toString('utf8'));
  } catch (error) {
    throw new LayerCacheEntryError('corrupt_entry', `unreadable layer cache entry: ${String(error)}`);
  }
  if (!isStoredEntry(parsed)) throw new LayerCacheEntryError('corrupt_entry', 'not a layer cache entry');
  const facts = parsed.facts.map((fact) => decodeValue(fact, layer));
  if (!facts.every(isFactShaped) || !facts.some((fact) => fact.kind === 'file-stats')) {
    throw new LayerCacheEntryError('corrupt_entry', 'the layer cache entry holds malformed facts');
  }
  return {
    result: {
      facts,
      entries: parsed.entries,
      compressedBytes: parsed.compressedBytes,
      uncompressedBytes: parsed.uncompressedBytes,
    },
    recorded: parsed.recorded,
  };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isCountArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every(isCount);
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

function isFactShaped(value: unknown): value is Fact {
  if (typeof value !== 'object' || value === null) return false;
  const fact = value as Record<string, unknown>;
  if (typeof fact['kind'] !== 'string' || typeof fact['layer'] !== 'object') return false;
  if (fact['kind'] !== 'file-stats') return true;
  return typeof fact['stats'] === 'object' && fact['stats'] !== null;
}

function isLayerRef(value: object, layer: LayerRef): boolean {
  const keys = Object.keys(value);
  if (keys.length !== 4) return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate['index'] === layer.index &&
    candidate['digest'] === layer.digest &&
    candidate['diffId'] === layer.diffId &&
    candidate['createdBy'] === layer.createdBy &&
    'diffId' in candidate &&
    'createdBy' in candidate
  );
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function encodeValue(value: unknown, layer: LayerRef): Json {
  switch (typeof value) {
    case 'undefined':
      return { $: 'u' };
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : { $: 'n', v: String(value) };
    case 'object':
      break;
    default:
      throw new LayerCacheEntryError('uncacheable_value', `a fact holds a ${typeof value}`);
  }
  if (value === null) return null;
  if (value instanceof Uint8Array) {
    const base64 = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    return { $: Buffer.isBuffer(value) ? 'B' : 'b', v: base64 };
  }
  if (Array.isArray(value)) return Array.from(value, (item: unknown) => encodeValue(item, layer));
  if (!isPlainObject(value)) {
    throw new LayerCacheEntryError('uncacheable_value', 'a fact holds an object that is not plain data');
  }
  if (isLayerRef(value, layer)) return { $: 'L' };
  const encoded: { [key: string]: Json } = {};
  for (const [key, item] of Object.entries(value)) {
    encoded[key.startsWith('$') ? `$${key}` : key] = encodeValue(item, layer);
  }
  return encoded;
}

function decodeValue(value: Json, layer: LayerRef): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => decodeValue(item, layer));
  const tag = value['$'];
  if (tag !== undefined) return decodeTagged(tag, value['v'], layer);
  const decoded: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    decoded[key.startsWith('$') ? key.slice(1) : key] = decodeValue(item, layer);
  }
  return decoded;
}

function decodeTagged(tag: Json, payload: Json | undefined, layer: LayerRef): unknown {
  if (tag === 'u') return undefined;
  if (tag === 'L') return layer;
  if (typeof payload === 'string') {
    if (tag === 'n') return Number(payload);
    if (tag === 'B') return Buffer.from(payload, 'base64');
    if (tag === 'b') return new Uint8Array(Buffer.from(payload, 'base64'));
  }
  throw new LayerCacheEntryError('corrupt_entry', 'the layer cache entry holds an unknown tagged value');
}
