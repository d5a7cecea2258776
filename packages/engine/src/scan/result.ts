import type { DiagnosticCode, FileStats, LargeFile, OsFamily } from '../analyzer/fact.ts';
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
  readonly vulnerabilityDatabase?: { readonly builtAt: string; readonly records: number; readonly feeds: readonly string[] };
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
