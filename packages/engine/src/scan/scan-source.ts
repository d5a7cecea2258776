import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { Analyzer } from '../analyzer/contract.ts';
import type { DiagnosticFact, Fact, FileStatsFact, OsFact } from '../analyzer/fact.ts';
import type { LayerRef } from '../analyzer/layer-ref.ts';
import { builtinAnalyzers } from '../analyzer/registry.ts';
import { selectPlatform } from '../image/platform.ts';
import type { Image, ImageSource, Platform, SourceDescription } from '../image/types.ts';
import { ImageFilesystem } from '../layer/image-filesystem.ts';
import type { WalkBudget } from '../layer/types.ts';
import { walkLayer } from '../layer/walk-layer.ts';
import { coalesceOs } from '../inventory/coalesce-os.ts';
import { toDrydockError } from '../util/errors.ts';
import { resolveLimits, type ScanLimits } from '../util/limits.ts';
import { maskEnvironment } from './mask-env.ts';
import type { ScanProgressListener } from './progress.ts';
import type { DiagnosticEntry, ImageReport, LayerReport, ScanReport } from './result.ts';
import { toolVersion } from './tool-version.ts';

export interface ScanOptions {
  readonly signal: AbortSignal;
  readonly limits?: Partial<ScanLimits>;
  readonly analyzers?: readonly Analyzer[];
  /** Scan this platform of a multi-architecture index (default: the host's, then linux/amd64). */
  readonly platform?: Platform;
  /** Scan every platform of an index, one report entry each. */
  readonly allPlatforms?: boolean;
  readonly onProgress?: ScanProgressListener;
}

/** Counts bytes flowing through without touching them. */
class ByteCounter extends Transform {
  constructor(private readonly onBytes: (bytes: number) => void) {
    super({ highWaterMark: 1 << 20 });
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.onBytes(chunk.length);
    callback(null, chunk);
  }
}

function layerRefOf(image: Image, index: number): LayerRef {
  const layer = image.metadata.layers[index];
  if (!layer) throw new RangeError(`no layer ${index}`);
  return { index, digest: layer.digest, diffId: layer.diffId, createdBy: layer.createdBy };
}

function platformsToScan(description: SourceDescription, options: ScanOptions): (Platform | undefined)[] {
  if (description.platforms.length === 0) return [undefined];
  if (options.allPlatforms) return description.platforms.map((entry) => entry.platform);
  return [selectPlatform(description.platforms, options.platform).platform];
}

/**
 * Scans one image source: resolves the platform(s), walks every layer once with all analyzers,
 * coalesces the per-layer facts over the merged filesystem, and returns the report. Layers are
 * walked in order because whiteouts only make sense against the layers below.
 */
export async function scanSource(source: ImageSource, options: ScanOptions): Promise<ScanReport> {
  const { signal } = options;
  try {
    const description = await source.describe(signal);
    const images: ImageReport[] = [];
    for (const platform of platformsToScan(description, options)) {
      const image = await source.select(platform, signal);
      images.push(await scanImage(image, options));
    }
    return {
      schemaVersion: 1,
      tool: { name: 'drydock', version: toolVersion },
      createdAt: new Date().toISOString(),
      artifact: {
        name: description.name,
        kind: description.kind,
        digest: description.digest,
        mediaType: description.mediaType,
        platforms: description.platforms,
      },
      images,
    };
  } catch (error) {
    throw toDrydockError(error, signal);
  }
}

async function scanImage(image: Image, options: ScanOptions): Promise<ImageReport> {
  const started = performance.now();
  const { signal, onProgress } = options;
  const limits = resolveLimits(options.limits);
  const analyzers = options.analyzers ?? builtinAnalyzers;
  const { metadata } = image;
  const platform = metadata.platform;
  const filesystem = new ImageFilesystem();
  const budget: WalkBudget = { files: 0, uncompressedBytes: 0 };
  const facts: Fact[] = [];
  const layerReports: LayerReport[] = [];
  onProgress?.({
    type: 'image',
    platform,
    layers: metadata.layers.length,
    totalBytes: metadata.layers.reduce((sum, layer) => sum + Math.max(layer.size, 0), 0),
  });

  for (const layer of metadata.layers) {
    onProgress?.({ type: 'layer-start', platform, index: layer.index, size: layer.size });
    const blob: Readable = await image.openLayer(layer.index, signal);
    const counted = onProgress
      ? blob.pipe(
          new ByteCounter((bytes) =>
            onProgress({ type: 'layer-bytes', platform, index: layer.index, bytes }),
          ),
        )
      : blob;
    if (counted !== blob) blob.on('error', (error) => counted.destroy(error));
    const result = await walkLayer({
      stream: counted,
      mediaType: layer.mediaType,
      layer: layerRefOf(image, layer.index),
      analyzers,
      limits,
      budget,
      sink: filesystem,
      signal,
    });
    facts.push(...result.facts);
    const stats = result.facts.find((fact): fact is FileStatsFact => fact.kind === 'file-stats')?.stats;
    if (!stats) throw new Error(`the walker returned no file statistics for layer ${layer.index}`);
    layerReports.push({
      index: layer.index,
      digest: layer.digest,
      diffId: layer.diffId,
      mediaType: layer.mediaType,
      size: layer.size >= 0 ? layer.size : result.compressedBytes,
      uncompressedSize: result.uncompressedBytes,
      createdBy: layer.createdBy,
      stats,
    });
    onProgress?.({ type: 'layer-done', platform, index: layer.index });
  }

  const survivors = {
    layerOf: (path: string) => {
      const entry = filesystem.lookup(path);
      return entry?.type === 'file' ? entry.layer : undefined;
    },
  };
  const os = coalesceOs(
    facts.filter((fact): fact is OsFact => fact.kind === 'os'),
    survivors,
  );
  const totals = filesystem.totals();
  const { config } = metadata;
  return {
    platform,
    manifestDigest: metadata.manifestDigest,
    configDigest: metadata.configDigest,
    repoTags: metadata.repoTags,
    created: config.created,
    config: {
      user: config.user,
      env: maskEnvironment(config.env),
      entrypoint: config.entrypoint,
      cmd: config.cmd,
      workingDir: config.workingDir,
      exposedPorts: config.exposedPorts,
      labels: config.labels,
      healthcheck: config.healthcheck?.test,
    },
    os: os && {
      family: os.family,
      id: os.id,
      name: os.name,
      version: os.versionId,
      codename: os.versionCodename,
      prettyName: os.prettyName,
      path: os.path,
      layerIndex: os.layerIndex,
    },
    layers: layerReports,
    files: {
      files: totals.files,
      directories: totals.directories,
      symlinks: totals.symlinks,
      totalBytes: totals.totalBytes,
      largest: totals.largest.map((file) => ({ path: file.path, size: file.size, layerIndex: file.layer })),
      setuid: totals.setuid,
      setgid: totals.setgid,
      worldWritable: totals.worldWritable,
    },
    diagnostics: facts
      .filter((fact): fact is DiagnosticFact => fact.kind === 'diagnostic')
      .map((fact): DiagnosticEntry => ({
        layerIndex: fact.layer.index,
        path: fact.path,
        source: fact.source,
        code: fact.code,
        message: fact.message,
      })),
    durationMs: Math.round(performance.now() - started),
  };
}
