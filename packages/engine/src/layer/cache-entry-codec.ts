import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Fact } from '../analyzer/fact.ts';
import type { LayerRef } from '../analyzer/layer-ref.ts';

/**
 * How cache entries (an analysed layer, an analysed image) are stored: gzip-compressed JSON, with
 * the facts' layer identity left out so an entry can be read back into another image.
 *
 * Facts are plain data, but JSON alone would lose some of it: `undefined` properties (kept, so a
 * replayed report is the walked one exactly), byte arrays and Buffers, and non-finite numbers are
 * written as tagged objects `{"$": tag, "v": value}`; keys that begin with `$` are escaped by one
 * more `$`. Anything else that is not plain data (a Map, a Date, a class instance) makes the entry
 * uncacheable rather than silently changed.
 */

export type CacheEntryErrorCode =
  /** A fact holds a value the format cannot carry (the entry is then not stored). */
  | 'uncacheable_value'
  /** The stored bytes are not an entry of this format (damaged, truncated, or another version). */
  | 'corrupt_entry';

export class CacheEntryError extends Error {
  readonly code: CacheEntryErrorCode;

  constructor(code: CacheEntryErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = 'CacheEntryError';
  }
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A damaged or hostile entry must not inflate without bound. */
const maxInflatedBytes = 1024 ** 3;

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export async function packEntry(stored: object): Promise<Uint8Array> {
  return gzipAsync(Buffer.from(JSON.stringify(stored), 'utf8'));
}

/** The parsed JSON of a packed entry. @throws CacheEntryError (`corrupt_entry`) */
export async function unpackEntry(bytes: Uint8Array, what: string): Promise<unknown> {
  try {
    const text = await gunzipAsync(bytes, { maxOutputLength: maxInflatedBytes });
    return JSON.parse(text.toString('utf8'));
  } catch (error) {
    throw new CacheEntryError('corrupt_entry', `unreadable ${what}: ${String(error)}`);
  }
}

/** The facts of one layer, `layer` (the LayerRef they carry) replaced by a tag. @throws CacheEntryError */
export function encodeFacts(facts: readonly Fact[], layer: LayerRef): Json[] {
  return facts.map((fact) => encodeValue(fact, layer));
}

/**
 * Facts read back with `layer` as their LayerRef; a layer's facts always include its `file-stats`.
 * @throws CacheEntryError (`corrupt_entry`) for anything that is not such a list
 */
export function decodeFacts(stored: unknown, layer: LayerRef): Fact[] {
  if (!Array.isArray(stored)) throw new CacheEntryError('corrupt_entry', 'the entry holds no fact list');
  const facts = (stored as Json[]).map((fact) => decodeValue(fact, layer));
  if (!facts.every(isFactShaped) || !facts.some((fact) => fact.kind === 'file-stats')) {
    throw new CacheEntryError('corrupt_entry', 'the cache entry holds malformed facts');
  }
  return facts;
}

export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

export function isCountArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every(isCount);
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
      throw new CacheEntryError('uncacheable_value', `a fact holds a ${typeof value}`);
  }
  if (value === null) return null;
  if (value instanceof Uint8Array) {
    const base64 = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    return { $: Buffer.isBuffer(value) ? 'B' : 'b', v: base64 };
  }
  if (Array.isArray(value)) return Array.from(value, (item: unknown) => encodeValue(item, layer));
  if (!isPlainObject(value)) {
    throw new CacheEntryError('uncacheable_value', 'a fact holds an object that is not plain data');
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
  throw new CacheEntryError('corrupt_entry', 'the cache entry holds an unknown tagged value');
}
