import type { DiagnosticCode, FileStats, LargeFile, OsFamily } from '../analyzer/fact.ts';
import type { LayerRef } from '../analyzer/layer-ref.ts';
import type { MalwareEngine, MalwareMatch } from '../analyzer/malware/malware-match.ts';
import type { SecretMatch } from '../analyzer/secret/secret-match.ts';
import type { BaselineCheckResult } from '../check/baseline/check-result.ts';
import type { BaseImageOrigin, BaseImageOs } from '../check/base-image/base-image-entry.ts';
import type { FindingCounts } from '../check/base-image/finding-counts.ts';
import type { ComplianceResult } from '../check/compliance/compliance-checks.ts';
import type { Platform, PlatformManifest, SourceKind } from '../image/types.ts';
import type { InventoryPackage } from '../inventory/coalesce-packages.ts';
import type { VulnerabilityFinding } from '../match/finding.ts';

/**
 * The result of one scan, the pipeline's output contract: what every output format (table, JSON, and later SARIF, CycloneDX,
 * SPDX) is rendered from. JSON output is this object as it is; `schemaVersion` changes when a
 * field changes meaning.
 */
export interface ScanReport {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'drydock'; readonly version: string };
  readonly createdAt: string;
  readonly artifact: ArtifactSummary;
  /** One entry per scanned platform (one for a single-platform image). */
  readonly images: readonly ImageReport[];
  /** The vulnerability database the findings come from, when vulnerabilities were scanned. */
  readonly vulnerabilityDatabase?: {
    readonly builtAt: string;
    readonly records: number;
    readonly feeds: readonly string[];
  };
}

export interface ArtifactSummary {
  readonly name: string;
  readonly kind: SourceKind;
  readonly digest: string | undefined;
  readonly mediaType: string;
  /** Every platform of a multi-architecture index, scanned or not. */
  readonly platforms: readonly PlatformManifest[];
}

export interface ImageReport {
  readonly platform: Platform;
  readonly manifestDigest: string | undefined;
  readonly configDigest: string | undefined;
  readonly repoTags: readonly string[];
  readonly created: string | undefined;
  readonly config: ConfigSummary;
  readonly os: OsSummary | undefined;
  readonly layers: readonly LayerReport[];
  /** The software inventory (SBOM): every package of the final image with its layer and path. */
  readonly packages: readonly InventoryPackage[];
  /**
   * Vulnerabilities of the inventory, or undefined when vulnerabilities were not scanned (no
   * database given). Findings suppressed by an ignore file or VEX are not here but in
   * `suppressedVulnerabilities`.
   */
  readonly vulnerabilities: readonly VulnerabilityFinding[] | undefined;
  /**
   * Findings an ignore file or an OpenVEX document suppressed, each with what suppressed it and
   * why; absent when nothing was suppressed (or vulnerabilities were not scanned).
   */
  readonly suppressedVulnerabilities?: readonly SuppressedFinding[];
  /**
   * Secrets (sensitive information) in the layers' files and in the image configuration, masked;
   * undefined when secrets were not scanned.
   */
  readonly secrets?: readonly SecretFinding[];
  /** What the secret scan covered; present when secrets were scanned. */
  readonly secretScan?: SecretScanSummary;
  /** Malicious files; undefined when malware was not scanned. */
  readonly malware?: readonly MalwareFinding[];
  /** Which malware engines ran and how they fared; present when malware was scanned. */
  readonly malwareScan?: MalwareScanSummary;
  /** Every baseline check with its result (pass, fail, not applicable); undefined when not scanned. */
  readonly baseline?: BaselineReport;
  /** Licence, prohibited-software and end-of-life findings with the licence summary; undefined when not scanned. */
  readonly compliance?: ComplianceResult;
  /** The catalogued base image the image was built on; absent without a catalogue or a match. */
  readonly baseImage?: BaseImageReport;
  readonly files: FileTotals;
  readonly diagnostics: readonly DiagnosticEntry[];
  readonly durationMs: number;
}

export interface ConfigSummary {
  readonly user: string | undefined;
  /** Environment as `NAME=value`; values of names that look like credentials are masked. */
  readonly env: readonly string[];
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly workingDir: string | undefined;
  readonly exposedPorts: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly healthcheck: readonly string[] | undefined;
}

export interface OsSummary {
  readonly family: OsFamily;
  readonly id: string;
  readonly name: string;
  readonly version: string | undefined;
  readonly codename: string | undefined;
  readonly prettyName: string | undefined;
  readonly path: string;
  readonly layerIndex: number;
}

export interface LayerReport {
  readonly index: number;
  readonly digest: string;
  readonly diffId: string | undefined;
  readonly mediaType: string;
  readonly size: number;
  readonly uncompressedSize: number;
  readonly createdBy: string | undefined;
  readonly stats: FileStats;
  /** The layer's analysis was replayed from the layer cache (the blob was not downloaded); absent when walked. */
  readonly fromCache?: true;
}

export interface LargeFileInLayer extends LargeFile {
  readonly layerIndex: number;
}

/** File information of the final image filesystem (what a container sees). */
export interface FileTotals {
  readonly files: number;
  readonly directories: number;
  readonly symlinks: number;
  readonly totalBytes: number;
  readonly largest: readonly LargeFileInLayer[];
  readonly setuid: readonly string[];
  readonly setgid: readonly string[];
  readonly worldWritable: readonly string[];
}

export interface DiagnosticEntry {
  readonly layerIndex: number;
  readonly path: string;
  readonly source: string;
  readonly code: DiagnosticCode;
  /** The typed reason behind the code, when there is one (`clamd_timeout` for an `analysis_failed`). */
  readonly reason?: string;
  readonly message: string;
}

/**
 * A finding kept out of `vulnerabilities`: by an entry of an ignore file (`.drydockignore`), or by
 * an OpenVEX statement (https://github.com/openvex/spec/blob/main/OPENVEX-SPEC.md) whose status
 * is `not_affected` or `fixed`. `reason` is the text to show: the ignore entry's reason, or the
 * VEX justification and impact statement. `source` is the file the rule came from.
 */
export type SuppressedFinding =
  | {
      readonly finding: VulnerabilityFinding;
      readonly by: 'ignore-file';
      readonly reason: string;
      readonly source: string;
      /** The ignore entry that applied, as written (`expires` as YYYY-MM-DD). */
      readonly rule: {
        readonly id: string;
        readonly package?: string;
        readonly path?: string;
        readonly expires?: string;
      };
    }
  | {
      readonly finding: VulnerabilityFinding;
      readonly by: 'vex';
      readonly reason: string;
      readonly source: string;
      readonly status: 'not_affected' | 'fixed';
      /** One of the VEX status justification labels, when the statement gave one. */
      readonly justification?: string;
      readonly impactStatement?: string;
      /** The VEX document's `@id`. */
      readonly document: string;
      /** The statement's timestamp (its own or the document's). */
      readonly timestamp: string;
    };

/**
 * One secret, as the secret rules found it: the match (masked secret and excerpt, never the
 * secret itself) with where it is. Secrets in a layer stay findings when a later layer deletes
 * or replaces the file: anyone who pulls the image can read that layer.
 */
export interface SecretFinding extends SecretMatch {
  /** `file` in a layer, or `config` (environment, labels, build history; `path` says which). */
  readonly location: 'file' | 'config';
  /** The layer that holds the file; absent for the image configuration. */
  readonly layer?: LayerRef;
  /** False when a later layer deleted or replaced the file. */
  readonly inFinalFilesystem: boolean;
}

export interface SecretScanSummary {
  /** Rules applied (built-in and the project's own, less the disabled ones). */
  readonly rules: number;
  /** Layers not searched because they belong to the base image (`skipBaseLayers`), from the bottom. */
  readonly skippedBaseLayers: number;
}

/** One malicious file (or archive member), with its layer. Malware is always `critical`. */
export interface MalwareFinding extends MalwareMatch {
  readonly severity: 'critical';
  readonly layer: LayerRef;
  /** False when a later layer deleted or replaced the file. */
  readonly inFinalFilesystem: boolean;
}

export interface MalwareScanSummary {
  readonly engines: readonly MalwareEngineStatus[];
}

/**
 * `ok`: the engine looked at every file it was given; `failed`: it could not for some files (the
 * diagnostics say which and why, with code `analysis_failed`); `off`: not configured.
 */
export interface MalwareEngineStatus {
  readonly engine: MalwareEngine;
  readonly status: 'ok' | 'failed' | 'off';
  /** Files the engine could not examine. */
  readonly failedFiles: number;
  /** The reason of the first failure (`clamd_unreachable`, `clamd_timeout`, ...). */
  readonly reason?: string;
}

export interface BaselineReport {
  readonly checks: readonly BaselineCheckResult[];
  /** How far the weak-password search went; undefined when it did not run (no /etc/shadow, or turned off). */
  readonly weakPasswords:
    | {
        readonly tried: number;
        readonly exhausted: boolean;
        readonly unsupported: readonly { readonly account: string; readonly algorithm: string }[];
      }
    | undefined;
}

export interface BaseImageReport {
  /** Repository of the base image (`library/debian`). */
  readonly name: string;
  readonly tag: string;
  readonly digest: string;
  readonly platform: Platform;
  readonly os?: BaseImageOs;
  /** How many of the image's layers (from the bottom) are the base image's. */
  readonly layers: number;
  /** The image is the base image itself (no layers of its own). */
  readonly wholeImage: boolean;
  readonly addedBy: BaseImageOrigin;
  /** Findings of each risk type from the base image's layers and from the image's own. */
  readonly findings: OriginCounts;
  /** The vulnerabilities from the base image's layers, by severity. */
  readonly vulnerabilitiesFromBase: FindingCounts;
  /** Other catalogued tags of the same base (same platform) with fewer vulnerabilities, best first. */
  readonly betterTags: readonly {
    readonly tag: string;
    readonly digest: string;
    readonly vulnerabilities?: FindingCounts;
  }[];
}

/** For each risk type scanned: findings from the base image's layers and from the image's own. */
export interface OriginCounts {
  readonly vulnerabilities: { readonly base: number; readonly own: number } | undefined;
  readonly secrets: { readonly base: number; readonly own: number } | undefined;
  readonly malware: { readonly base: number; readonly own: number } | undefined;
  readonly compliance: { readonly base: number; readonly own: number } | undefined;
}
