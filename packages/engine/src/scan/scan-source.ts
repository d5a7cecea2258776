import type { Analyzer } from '../analyzer/contract.ts';
import type {
  DiagnosticFact,
  Fact,
  FileStatsFact,
  LicenseFact,
  MalwareFact,
  OsFact,
  OwnedFilesFact,
  PackageFact,
  ExecutableFact,
  SecretFact,
  SystemFileFact,
} from '../analyzer/fact.ts';
import { malwareAnalyzer } from '../analyzer/malware/malware-analyzer.ts';
import type { MalwareScanner } from '../analyzer/malware/malware-scanner.ts';
import { scanImageConfig } from '../analyzer/secret/image-config.ts';
import type { SecretScanner } from '../analyzer/secret/scanner.ts';
import { secretAnalyzer } from '../analyzer/secret/secret-analyzer.ts';
import { executableDigestsAnalyzer } from '../analyzer/executables/analyzer.ts';
import { systemFilesAnalyzer } from '../analyzer/system-files/analyzer.ts';
import { baseImageLayerCount } from '../check/base-image-layers.ts';
import type { LayerRef } from '../analyzer/layer-ref.ts';
import { builtinAnalyzers } from '../analyzer/registry.ts';
import { selectPlatform } from '../image/platform.ts';
import type { Image, ImageSource, Platform, SourceDescription } from '../image/types.ts';
import type { WalkBudget } from '../layer/types.ts';
import { coalesceOs } from '../inventory/coalesce-os.ts';
import { coalescePackages } from '../inventory/coalesce-packages.ts';
import { matchInventory } from '../match/match-inventory.ts';
import { versionSchemes } from '../versioning/registry.ts';
import type { VulnerabilityDatabase } from '../vulndb/database.ts';
import { toDrydockError } from '../util/errors.ts';
import { resolveLimits, type ScanLimits } from '../util/limits.ts';
import { malwareFindings, malwareScanSummary } from './malware-findings.ts';
import type { BaseImageCatalogue } from '../check/base-image/base-image-catalogue.ts';
import { baseImageReport } from './base-image-report.ts';
import { baselineReport, type BaselineScanOptions } from './baseline-report.ts';
import {
  complianceReport,
  policyNamesDigests,
  prohibitedProgramNames,
  type ComplianceScanOptions,
} from './compliance-report.ts';
import { analysedFromCache, imageCacheEntryOf, walkImage, type AnalysedImage } from './analysed-image.ts';
import { ImageLayerCache, type LayerCache } from './layer-cache.ts';
import { ConfigRedactor, defaultSecretRules } from './redact-config.ts';
import { secretFindings } from './secret-findings.ts';
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
  /** Layers walked at once (default: the number of cores). */
  readonly layerConcurrency?: number;
  /** Match the inventory against this database; without one, vulnerabilities are not scanned. */
  readonly vulnerabilityDatabase?: VulnerabilityDatabase;
  /**
   * Run these malware engines over every file; without, malware is not scanned. The caller
   * opens the scanner (hash store, YARA rules, clamd) and closes it after the scan.
   */
  readonly malware?: MalwareScanner;
  /**
   * Search every file and the image configuration for secrets; without, secrets are not scanned
   * (the configuration shown in the report is still masked with the built-in rules).
   */
  readonly secrets?: SecretScanOptions;
  /** Run the baseline checks (configuration, history, accounts, passwords, SSH); without, not scanned. */
  readonly baseline?: BaselineScanOptions;
  /** Run the compliance checks (licences, prohibited software, end of life); without, not scanned. */
  readonly compliance?: ComplianceScanOptions;
  /** Name the base image from this catalogue and split findings by origin (opened by the caller). */
  readonly baseImages?: BaseImageCatalogue;
  /**
   * Reuse layers analysed before with the same analyzers and settings instead of downloading them
   * again, and keep the layers walked now (see `layerCacheKey`). The report is the same with or
   * without it, but for `fromCache` on the layers that came from it. Without, every layer is walked.
   */
  readonly layerCache?: LayerCache;
}

export interface SecretScanOptions {
  /** Opened and closed by the caller, like the malware scanner. */
  readonly scanner: SecretScanner;
  /** Leave the base image's layers out (their secrets are the base image's, found where it is scanned). */
  readonly skipBaseLayers?: boolean;
}

function layerRefOf(image: Image, index: number, redactor: ConfigRedactor): LayerRef {
  const layer = image.metadata.layers[index];
  if (!layer) throw new RangeError(`no layer ${index}`);
  return {
    index,
    digest: layer.digest,
    diffId: layer.diffId,
    createdBy: redactor.instruction(layer.createdBy),
  };
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
    const databaseStatus = options.vulnerabilityDatabase?.status();
    return {
      schemaVersion: 1,
      tool: { name: 'drydock', version: toolVersion },
      createdAt: new Date().toISOString(),
      ...(databaseStatus
        ? {
            vulnerabilityDatabase: {
              builtAt: databaseStatus.builtAt,
              records: databaseStatus.records,
              feeds: databaseStatus.feeds.map((feed) => feed.feed),
            },
          }
        : {}),
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
  const { metadata } = image;
  const redactor = new ConfigRedactor(options.secrets?.scanner.ruleSet);
  const baseAnalyzers = [
    ...(options.analyzers ?? builtinAnalyzers),
    ...(options.malware ? [malwareAnalyzer(options.malware)] : []),
    ...(options.baseline ? [systemFilesAnalyzer] : []),
    ...(options.compliance && policyNamesDigests(options.compliance.policy)
      ? [executableDigestsAnalyzer]
      : []),
  ];
  const secretsFrom = options.secrets?.skipBaseLayers ? baseImageLayerCount(metadata.config.history) : 0;
  const withSecrets = options.secrets
    ? [...baseAnalyzers, secretAnalyzer(options.secrets.scanner)]
    : baseAnalyzers;
  const analyzersOf = (index: number) => (index < secretsFrom ? baseAnalyzers : withSecrets);
  const platform = metadata.platform;
  const budget: WalkBudget = { files: 0, uncompressedBytes: 0 };
  const layerCache = options.layerCache
    ? await ImageLayerCache.open(options.layerCache, {
        limits,
        ...(options.secrets ? { secretRules: options.secrets.scanner.ruleSet } : {}),
        ...(options.malware ? { malware: options.malware } : {}),
        signal,
      })
    : undefined;
  onProgress?.({
    type: 'image',
    platform,
    layers: metadata.layers.length,
    totalBytes: metadata.layers.reduce((sum, layer) => sum + Math.max(layer.size, 0), 0),
  });

  const refs = metadata.layers.map((_, index) => layerRefOf(image, index, redactor));
  const named = options.compliance ? prohibitedProgramNames(options.compliance.policy) : new Set<string>();
  const layerKeys = metadata.layers.map((layer, index) => layerCache?.keyOf(layer, analyzersOf(index)));
  const imageKey = layerCache?.imageKeyOf(layerKeys, named);
  const cached =
    layerCache && imageKey !== undefined
      ? await layerCache.readImage({ key: imageKey, layers: refs, budget, signal })
      : undefined;
  let analysed: AnalysedImage;
  if (cached) {
    // Every layer as it was: nothing is downloaded, walked or replayed.
    for (const layer of metadata.layers) {
      onProgress?.({ type: 'layer-start', platform, index: layer.index, size: layer.size });
      onProgress?.({ type: 'layer-done', platform, index: layer.index });
    }
    analysed = analysedFromCache(cached);
  } else {
    analysed = await walkImage({
      image,
      refs,
      analyzersOf,
      layerKeys,
      layerCache,
      limits,
      budget,
      named,
      options,
    });
    if (layerCache && imageKey !== undefined) {
      layerCache.storeImage(imageKey, refs, imageCacheEntryOf(analysed));
      await layerCache.settle();
    }
  }

  const facts: Fact[] = [];
  const layerReports: LayerReport[] = [];
  for (const layer of metadata.layers) {
    const result = analysed.results[layer.index];
    if (!result) throw new Error(`layer ${layer.index} was not walked`);
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
      createdBy: redactor.instruction(layer.createdBy),
      stats,
      ...(analysed.fromCache.has(layer.index) ? { fromCache: true as const } : {}),
    });
  }

  const { survivors, totals } = analysed;
  const survivingLayer = survivors.layerOf;
  const diagnosticFacts = facts.filter((fact): fact is DiagnosticFact => fact.kind === 'diagnostic');
  const os = coalesceOs(
    facts.filter((fact): fact is OsFact => fact.kind === 'os'),
    survivors,
  );
  const packages = coalescePackages(
    facts.filter((fact): fact is PackageFact => fact.kind === 'package'),
    facts.filter((fact): fact is OwnedFilesFact => fact.kind === 'owned-files'),
    survivors,
    os,
    facts.filter((fact): fact is LicenseFact => fact.kind === 'license'),
  );
  const { config } = metadata;
  const report: ImageReport = {
    platform,
    manifestDigest: metadata.manifestDigest,
    configDigest: metadata.configDigest,
    repoTags: metadata.repoTags,
    created: config.created,
    config: {
      user: config.user,
      env: redactor.env(config.env),
      entrypoint: config.entrypoint,
      cmd: config.cmd,
      workingDir: config.workingDir,
      exposedPorts: config.exposedPorts,
      labels: redactor.labels(config.labels),
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
    packages,
    vulnerabilities: options.vulnerabilityDatabase
      ? matchInventory(packages, os, options.vulnerabilityDatabase, versionSchemes)
      : undefined,
    ...(options.secrets
      ? {
          secrets: secretFindings(
            facts.filter((fact): fact is SecretFact => fact.kind === 'secret'),
            scanImageConfig(options.secrets.scanner.ruleSet, {
              env: config.env,
              labels: config.labels,
              history: config.history,
            }),
            survivingLayer,
          ),
          secretScan: {
            rules: options.secrets.scanner.ruleSet.ruleCount,
            skippedBaseLayers: Math.min(secretsFrom, metadata.layers.length),
          },
        }
      : {}),
    ...(options.malware
      ? {
          malware: malwareFindings(
            facts.filter((fact): fact is MalwareFact => fact.kind === 'malware'),
            survivingLayer,
          ),
          malwareScan: malwareScanSummary(options.malware, diagnosticFacts),
        }
      : {}),
    ...(options.baseline
      ? {
          baseline: await baselineReport({
            config,
            facts: facts.filter((fact): fact is SystemFileFact => fact.kind === 'system-file'),
            survivingLayer,
            setuid: totals.setuid,
            setgid: totals.setgid,
            secretRules: options.secrets?.scanner.ruleSet ?? defaultSecretRules(),
            options: options.baseline,
            signal,
          }),
        }
      : {}),
    ...(options.compliance
      ? {
          compliance: complianceReport({
            packages,
            os,
            programs: totals.named,
            digests: facts.filter((fact): fact is ExecutableFact => fact.kind === 'executable'),
            survivingLayer,
            options: options.compliance,
          }),
        }
      : {}),
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
    diagnostics: diagnosticFacts.map((fact): DiagnosticEntry => ({
      layerIndex: fact.layer.index,
      path: fact.path,
      source: fact.source,
      code: fact.code,
      ...(fact.reason ? { reason: fact.reason } : {}),
      message: fact.message,
    })),
    durationMs: Math.round(performance.now() - started),
  };
  if (!options.baseImages) return report;
  const baseImage = baseImageReport(
    options.baseImages,
    metadata.layers.map((layer) => layer.diffId ?? layer.digest),
    platform,
    report,
  );
  return baseImage ? { ...report, baseImage } : report;
}
