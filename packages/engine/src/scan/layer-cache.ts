import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Analyzer } from '../analyzer/contract.ts';
import type { DiagnosticCode, Fact } from '../analyzer/fact.ts';
import type { LayerRef } from '../analyzer/layer-ref.ts';
import type { MalwareScanner } from '../analyzer/malware/malware-scanner.ts';
import type { SecretRuleSet } from '../analyzer/secret/rule-set.ts';
import type { LayerDescriptor } from '../image/types.ts';
import {
  decodeImageCacheEntry,
  encodeImageCacheEntry,
  type ImageCacheEntry,
} from '../layer/image-cache-entry.ts';
import { decodeLayerCacheEntry, encodeLayerCacheEntry } from '../layer/layer-cache-entry.ts';
import { LayerRecorder, replayRecordedLayer } from '../layer/recorded-layer.ts';
import type { LayerEntrySink, LayerWalkResult, WalkBudget } from '../layer/types.ts';
import { DrydockError, toDrydockError } from '../util/errors.ts';
import type { ScanLimits } from '../util/limits.ts';
import { toolVersion } from './tool-version.ts';

/**
 * Where analysed layers are kept between scans (DESIGN.md section 3): base layers shared by many
 * images are then walked once. The engine only reads and writes opaque values under opaque keys;
 * the store decides how long it keeps them. Either method may reject: a failed `get` is a miss and
 * a failed `put` is ignored, so a cache can never fail a scan. `get` should give up when `signal`
 * aborts.
 */
export interface LayerCache {
  /** The value last stored under `key`, or undefined when there is none. */
  get(key: string, signal: AbortSignal): Promise<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Promise<void>;
}

/** An analyzer as the cache key sees it: its id, its version, and what else shapes its output. */
export interface AnalyzerIdentity {
  readonly id: string;
  readonly version: number;
  /** A digest of the analyzer's own settings (the secret rules, the malware signatures), if any. */
  readonly configuration?: string;
}

export interface LayerCacheKeyInput {
  /** The blob digest: verified against the bytes whenever the blob is downloaded. */
  readonly digest: string;
  readonly diffId: string;
  readonly mediaType: string;
  readonly analyzers: readonly AnalyzerIdentity[];
  /** `walkFingerprint` of the scan's limits. */
  readonly walk: string;
}

/**
 * The key of one analysed layer: SHA-256 over the layer's identity, every analyzer's id, version
 * and configuration (sorted, so their order does not matter) and the walk settings, plus the
 * engine version (built-in rules and parsers change with it).
 *
 * The blob digest is in the key next to the diff id because only the digest is checked: a
 * registry blob is verified against it, while the configuration's diff id is taken on trust. An
 * image that claimed a popular base layer's diff id for layers of its own would otherwise be
 * reported with that base layer's findings, or plant its own findings on every image built on it.
 */
export function layerCacheKey(input: LayerCacheKeyInput): string {
  const analyzers = input.analyzers
    .map((analyzer) => [analyzer.id, analyzer.version, analyzer.configuration ?? ''] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const material = JSON.stringify({
    engine: toolVersion,
    digest: input.digest,
    diffId: input.diffId,
    mediaType: input.mediaType,
    analyzers,
    walk: input.walk,
  });
  return createHash('sha256').update(material).digest('hex');
}

/**
 * The key of one analysed image: its layers' keys in order (each already names the analyzers, their
 * settings, the walk limits and the engine version) and the program names its totals list. Nothing
 * else the filesystem answers depends on the scan's options: see `ImageCacheEntry`.
 */
export function imageCacheKey(layerKeys: readonly string[], named: ReadonlySet<string>): string {
  const material = JSON.stringify({ image: layerKeys, named: [...named].sort() });
  return createHash('sha256').update(material).digest('hex');
}

/**
 * The limits that shape what a walk of one layer finds or whether it passes: path limits (longer
 * names are skipped with a diagnostic) and the per-layer size limits. The image-wide budget
 * (entries, uncompressed bytes) depends on the other layers, so it is not in the key but checked
 * again whenever a cached layer is replayed.
 */
export function walkFingerprint(limits: ScanLimits): string {
  return JSON.stringify([
    limits.maxPathLength,
    limits.maxPathDepth,
    limits.maxLayerBytes,
    limits.maxUncompressedLayerBytes,
    limits.maxCompressionRatio,
    limits.ratioGraceBytes,
  ]);
}

/** A digest of everything in a secret rule set that decides what is found and how it is reported. */
export function secretRulesDigest(rules: SecretRuleSet): string {
  const content = [...rules.indexedRules, ...rules.pathRules].map(({ rule }) => [
    rule.id,
    rule.title,
    rule.severity,
    rule.category,
    rule.formats,
    rule.keywords,
    rule.pattern.source,
    rule.pattern.flags,
    rule.entropy ?? null,
    rule.path?.source ?? null,
    rule.path?.flags ?? null,
    rule.wholeFile ?? false,
    rule.spanLines ?? null,
  ]);
  const files = rules.fileRules.map((rule) => [
    rule.id,
    rule.title,
    rule.severity,
    rule.category,
    rule.formats,
    rule.path.source,
    rule.path.flags,
  ]);
  const material = JSON.stringify({ config: rules.config, maxFileBytes: rules.maxFileBytes, content, files });
  return createHash('sha256').update(material).digest('hex');
}

/**
 * A digest of the malware engines' signatures: the hash store file (path, size, modification
 * time: an import rewrites it), the content of every YARA rule file, and clamd's answer to
 * `VERSION`, which names its engine and signature database version. Undefined when one of them
 * cannot be read: the scan then runs without the cache rather than risk stale findings. clamd's
 * address and configuration, and the scanner's own size caps, are not visible here; a caller that
 * changes those keeps a separate cache (or empties it).
 */
export async function malwareSignaturesDigest(
  scanner: MalwareScanner,
  signal: AbortSignal,
): Promise<string | undefined> {
  const { hashStore, yaraRules, clamd } = scanner.engines;
  try {
    const store = hashStore === undefined ? null : await stat(hashStore);
    const rules = await Promise.all(
      yaraRules.map(async (file) => [
        file,
        createHash('sha256')
          .update(await readFile(file, { signal }))
          .digest('hex'),
      ]),
    );
    const clamdVersion = clamd ? await scanner.clamdVersion(signal) : null;
    if (clamd && !clamdVersion) return undefined;
    const material = JSON.stringify({
      hashStore: store && hashStore ? [hashStore, store.size, store.mtimeMs] : null,
      rules,
      clamd: clamdVersion,
    });
    return createHash('sha256').update(material).digest('hex');
  } catch {
    if (signal.aborted) throw toDrydockError(signal.reason, signal);
    return undefined;
  }
}

/**
 * Diagnostics that say an engine could not do its work this time (clamd down or slow, an analyzer
 * that threw): a layer with one of them is not stored, so the next scan tries it again.
 */
const transientCodes: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>([
  'analysis_failed',
  'engine_disabled',
  'analyzer_failed',
]);

function hasTransientFailure(facts: readonly Fact[]): boolean {
  return facts.some((fact) => fact.kind === 'diagnostic' && transientCodes.has(fact.code));
}

/** Operations of one layer recorded for the cache; a layer with more is walked every time. */
const maxRecordedOperations = 500_000;

export interface LayerCacheSettings {
  /** Configurations of analyzers by id (`secret`, `malware`); see `AnalyzerIdentity`. */
  readonly configurations: ReadonlyMap<string, string>;
  readonly limits: ScanLimits;
}

export interface ImageReplayInput {
  readonly key: string;
  /** The image's layers, in order. */
  readonly layers: readonly LayerRef[];
  readonly budget: WalkBudget;
  readonly signal: AbortSignal;
}

export interface ReplayInput {
  readonly key: string;
  readonly layer: LayerRef;
  readonly budget: WalkBudget;
  readonly sink: LayerEntrySink;
  readonly signal: AbortSignal;
}

/**
 * The layer cache as one image scan uses it: the key of each layer, replaying a hit into the
 * merged filesystem (with the image-wide budget enforced as a walk would), and storing walked
 * layers in the background; `settle` waits for those writes. The whole image is kept the same way
 * (`readImage`, `storeImage`): a re-scan of an image all of whose layers are unchanged reads one
 * entry and walks nothing.
 */
export class ImageLayerCache {
  readonly #cache: LayerCache;
  readonly #settings: LayerCacheSettings;
  readonly #walk: string;
  readonly #writes: Promise<void>[] = [];

  constructor(cache: LayerCache, settings: LayerCacheSettings) {
    this.#cache = cache;
    this.#settings = settings;
    this.#walk = walkFingerprint(settings.limits);
  }

  /**
   * The cache of a scan with these secret rules and malware engines, or undefined when the
   * signatures cannot be named (the scan then runs uncached).
   */
  static async open(
    cache: LayerCache,
    options: {
      readonly limits: ScanLimits;
      readonly secretRules?: SecretRuleSet;
      readonly malware?: MalwareScanner;
      readonly signal: AbortSignal;
    },
  ): Promise<ImageLayerCache | undefined> {
    const configurations = new Map<string, string>();
    if (options.secretRules) configurations.set('secret', secretRulesDigest(options.secretRules));
    if (options.malware) {
      const digest = await malwareSignaturesDigest(options.malware, options.signal);
      if (digest === undefined) return undefined;
      configurations.set('malware', digest);
    }
    return new ImageLayerCache(cache, { configurations, limits: options.limits });
  }

  /** The key of a layer walked with these analyzers; undefined for a layer without a diff id. */
  keyOf(layer: LayerDescriptor, analyzers: readonly Analyzer[]): string | undefined {
    if (layer.diffId === undefined) return undefined;
    const configurations = this.#settings.configurations;
    return layerCacheKey({
      digest: layer.digest,
      diffId: layer.diffId,
      mediaType: layer.mediaType,
      analyzers: analyzers.map((analyzer) => {
        const configuration = configurations.get(analyzer.id);
        return configuration === undefined
          ? { id: analyzer.id, version: analyzer.version }
          : { id: analyzer.id, version: analyzer.version, configuration };
      }),
      walk: this.#walk,
    });
  }

  /**
   * The walk result of a cached layer, its operations already applied to `sink`; undefined on a
   * miss, including an entry that cannot be read. Throws only what a walk would: the image-wide
   * budget exceeded, or the scan aborted.
   */
  async replay(input: ReplayInput): Promise<LayerWalkResult | undefined> {
    const entry = await this.#read(input.key, input.signal, (bytes) =>
      decodeLayerCacheEntry(bytes, input.layer),
    );
    if (entry === undefined) return undefined;
    const { result, recorded } = entry;
    this.#charge(input.budget, result);
    replayRecordedLayer(recorded, input.sink, input.layer.index);
    return result;
  }

  /** The key of the image of these layer keys; undefined when a layer has none. */
  imageKeyOf(layerKeys: readonly (string | undefined)[], named: ReadonlySet<string>): string | undefined {
    const keys = layerKeys.filter((key): key is string => key !== undefined);
    return keys.length === layerKeys.length ? imageCacheKey(keys, named) : undefined;
  }

  /**
   * The analysed image stored under `key`, its layers charged to the image-wide budget; undefined
   * on a miss, including an entry that cannot be read. Throws only what a walk would.
   */
  async readImage(input: ImageReplayInput): Promise<ImageCacheEntry | undefined> {
    const entry = await this.#read(input.key, input.signal, (bytes) =>
      decodeImageCacheEntry(bytes, input.layers),
    );
    if (entry === undefined) return undefined;
    for (const result of entry.results) this.#charge(input.budget, result);
    return entry;
  }

  /** Stores an analysed image in the background, unless a layer met a passing failure. */
  storeImage(key: string, layers: readonly LayerRef[], entry: ImageCacheEntry): void {
    if (entry.results.some((result) => hasTransientFailure(result.facts))) return;
    this.#put(key, () => encodeImageCacheEntry(entry, layers));
  }

  /** A sink that passes a walk's operations to `sink` and records them for `store`. */
  recorder(sink: LayerEntrySink): LayerRecorder {
    return new LayerRecorder(sink, maxRecordedOperations);
  }

  /**
   * Stores a walked layer in the background (unless it met a passing failure or was too big to
   * record); failures to encode or write are dropped.
   */
  store(key: string, layer: LayerRef, result: LayerWalkResult, recorder: LayerRecorder): void {
    const recorded = recorder.recorded();
    if (recorded === undefined || hasTransientFailure(result.facts)) return;
    this.#put(key, () => encodeLayerCacheEntry({ result, recorded }, layer));
  }

  /** Waits for every write started so far (none of them rejects). */
  async settle(): Promise<void> {
    await Promise.all(this.#writes);
  }

  /**
   * The decoded value stored under `key`; undefined when there is none, the cache fails or the value
   * does not decode. Throws only when the scan is aborted.
   */
  async #read<T>(
    key: string,
    signal: AbortSignal,
    decode: (bytes: Uint8Array) => Promise<T>,
  ): Promise<T | undefined> {
    let entry: T | undefined;
    try {
      const bytes = await this.#cache.get(key, signal);
      entry = bytes === undefined ? undefined : await decode(bytes);
    } catch {
      entry = undefined;
    }
    if (signal.aborted) throw toDrydockError(signal.reason, signal);
    return entry;
  }

  /** Encodes and writes in the background; failures to encode or write are dropped. */
  #put(key: string, encode: () => Promise<Uint8Array>): void {
    const write = encode()
      .then((value) => this.#cache.put(key, value))
      .catch(() => undefined);
    this.#writes.push(write);
  }

  /** Adds a replayed layer to the image-wide budget and fails as the walk would when it runs out. */
  #charge(budget: WalkBudget, result: LayerWalkResult): void {
    const { limits } = this.#settings;
    budget.files += result.entries;
    if (budget.files > limits.maxFiles) {
      throw new DrydockError('too_many_files', `the image has more than ${limits.maxFiles} entries`, {
        reason: 'entries',
        details: { limit: limits.maxFiles },
      });
    }
    budget.uncompressedBytes += result.uncompressedBytes;
    if (budget.uncompressedBytes > limits.maxUncompressedImageBytes) {
      throw new DrydockError(
        'image_too_large',
        `the image inflates to more than ${limits.maxUncompressedImageBytes} bytes`,
        {
          reason: 'uncompressed_size',
          details: { limit: limits.maxUncompressedImageBytes },
        },
      );
    }
  }
}
