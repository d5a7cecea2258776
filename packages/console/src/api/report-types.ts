import type { HandlingState, SeverityLevel } from './handling-types.ts';
import type { RepositoryImage, RiskCounts, RiskLevel } from './image-types.ts';
import type { RiskType } from './task-types.ts';

/**
 * An image and its report (server api/routes/image-routes.ts `getImage`, api/routes/report-routes.ts
 * and api/schemas/report-schemas.ts). Instants are RFC 3339 strings. The handling of findings is in
 * handling-types.ts, exports in export-types.ts.
 *
 * Parts the API documents as opaque (`os`, `config`, `files`, `baseImage`, a layer's `stats`, the
 * licence summary, engine and coverage notes) are typed here as the engine writes them, every field
 * optional: the API passes them through without a schema, so the console reads them defensively.
 */

/** The report's sections, as the API names them in `/images/{imageId}/report/{section}`. */
export const reportSections = [
  'summary',
  'vulnerabilities',
  'baseline',
  'malware',
  'secrets',
  'compliance',
  'software',
  'files',
  'base-image',
  'layers',
] as const;
export type ReportSection = (typeof reportSections)[number];

/** One platform's current result, without its report (`getImage`'s `platforms`). */
export interface StoredResult {
  readonly id: string;
  /** Null for a result written outside a scan task. */
  readonly taskId: string | null;
  /** The platform's manifest digest. */
  readonly digest: string;
  /** `os/arch[/variant]`; `''` for a single-platform image. */
  readonly platform: string;
  /** The risk types this scan looked for. */
  readonly riskTypes: readonly RiskType[];
  /** Open findings (handled ones left out). */
  readonly riskCounts: RiskCounts;
  readonly riskLevel: RiskLevel;
  /** When the findings were last matched against vulnerability data. */
  readonly matchedAt: string;
  readonly databaseBuiltAt: string | null;
  readonly createdAt: string;
}

/** `GET /projects/{projectId}/images/{imageId}`: the image as the list shows it, and each scanned platform. */
export interface ImageOverview {
  readonly image: RepositoryImage;
  /** Empty until a scan succeeded. */
  readonly platforms: readonly StoredResult[];
}

/** The image a report belongs to. */
export type ImageSummary = Pick<
  RepositoryImage,
  'id' | 'connectionId' | 'connectionName' | 'registryType' | 'namespace' | 'repository' | 'tag' | 'digest'
>;

/** The layer (and the build instruction) a finding came from. */
export interface LayerRef {
  readonly index: number;
  readonly digest: string;
  readonly diffId?: string;
  readonly createdBy?: string;
}

export interface VulnerabilityFinding {
  /** Advisory id (GHSA, CVE, distribution advisory). */
  readonly id: string;
  readonly aliases: readonly string[];
  readonly status: 'affected' | 'unknown';
  readonly package: {
    readonly ecosystem: string;
    readonly name: string;
    readonly version: string;
    readonly purl: string;
    readonly path: string;
    readonly layer: LayerRef;
    readonly source?: { readonly name: string; readonly version: string };
  };
  readonly installedVersion: string;
  /** Empty: no fixed version is known. */
  readonly fixedVersions: readonly string[];
  readonly severity: SeverityLevel;
  readonly cvss?: { readonly version: string; readonly score: number; readonly vector: string };
  readonly severitySource: string;
  readonly summary?: string;
  readonly description?: string;
  readonly references: readonly string[];
  readonly published?: string;
  readonly modified: string;
  /** How the finding was matched (opaque). */
  readonly evidence: unknown;
  readonly handling: HandlingState;
}

/** Why a secret does not count; null while it counts. */
export type SecretIgnoredBy =
  | {
      readonly by: 'ignore';
      readonly ignoreId: string;
      readonly reason: string;
      readonly userName: string;
      readonly at: string;
    }
  | { readonly by: 'path_allowlist'; readonly glob: string }
  | null;

export interface SecretFinding {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: string;
  readonly category: string;
  /** Image-relative path, or `config:env/NAME`, `config:label/NAME`, `config:history/N`. */
  readonly path: string;
  readonly line: number;
  readonly column?: number;
  /** The secret, masked. */
  readonly secret: string;
  /** The line around the secret, every secret on it masked. */
  readonly excerpt: string;
  readonly location: 'file' | 'config';
  /** Absent for the image configuration. */
  readonly layer?: LayerRef;
  /** False when a later layer deleted or replaced the file. */
  readonly inFinalFilesystem: boolean;
  readonly ignoredBy: SecretIgnoredBy;
}

export interface MalwareFinding {
  /** The file; members of archives after `!/`. */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly md5?: string;
  readonly engine: 'hash' | 'clamav' | 'yara';
  readonly signature: string;
  readonly source: string;
  readonly severity: 'critical';
  readonly layer: LayerRef;
  readonly inFinalFilesystem: boolean;
}

export interface BaselineCheck {
  /** Stable id, e.g. `cis-4.1-non-root-user`. */
  readonly id: string;
  readonly title: string;
  /** `image-config`, `build-history`, `accounts`, `weak-password`, `password-policy`, `ssh`. */
  readonly area: string;
  readonly severity: string;
  /** `CIS Docker Benchmark 1.6.0 §4.1`, or `Drydock` for Drydock's own checks. */
  readonly standard: string;
  readonly result: 'pass' | 'fail' | 'not_applicable';
  readonly current?: string;
  readonly suggested?: string;
  readonly remediation: string;
  readonly evidence: readonly {
    readonly location: string;
    readonly line?: number;
    readonly detail: string;
  }[];
}

export interface ComplianceFinding {
  readonly type: 'license' | 'prohibited' | 'end-of-life';
  readonly severity: string;
  readonly software: string;
  readonly version?: string;
  readonly ecosystem?: string;
  readonly purl?: string;
  readonly path: string;
  readonly layerIndex?: number;
  readonly reason: string;
  readonly rule: string;
}

export interface InventoryPackage {
  readonly ecosystem: string;
  readonly name: string;
  readonly version: string;
  readonly purl: string;
  readonly licenses: readonly string[];
  readonly source?: { readonly name: string; readonly version: string };
  readonly arch?: string;
  readonly path: string;
  readonly origin: 'installed' | 'lockfile' | 'binary';
  readonly layer: LayerRef;
  readonly dev?: boolean;
}

/** The detected operating system (opaque in the API). */
export interface OsSummary {
  readonly family?: string;
  readonly id?: string;
  readonly name?: string;
  readonly version?: string;
  readonly codename?: string;
  readonly prettyName?: string;
  readonly path?: string;
  readonly layerIndex?: number;
}

/** The image configuration (opaque in the API); credential values in `env` are masked. */
export interface ConfigSummary {
  readonly user?: string;
  readonly env?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  readonly workingDir?: string;
  readonly exposedPorts?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly healthcheck?: readonly string[];
}

export interface Diagnostic {
  readonly layerIndex: number;
  readonly path: string;
  readonly source: string;
  readonly code: string;
  readonly reason?: string;
  readonly message: string;
}

export interface SummarySection {
  readonly manifestDigest?: string;
  readonly configDigest?: string;
  readonly created?: string;
  readonly os?: OsSummary | null;
  readonly config?: ConfigSummary | null;
  /** Null counts: the scan did not look for that risk type. */
  readonly counts: {
    readonly packages: number;
    readonly vulnerabilities: number | null;
    readonly secrets: number | null;
    readonly malware: number | null;
    readonly baselineFailed: number | null;
    readonly compliance: number | null;
  };
  readonly diagnostics: readonly Diagnostic[];
  readonly durationMs: number;
}

export interface VulnerabilitiesSection {
  /** Whether the scan looked for this risk type. */
  readonly scanned: boolean;
  readonly findings: readonly VulnerabilityFinding[];
  /** Suppressed at scan time by an ignore file or VEX document (opaque). */
  readonly suppressed: unknown;
}

/** How far the weak-password search went (opaque in the API); null when it did not run. */
export interface WeakPasswordSearch {
  readonly tried?: number;
  readonly exhausted?: boolean;
  readonly unsupported?: readonly { readonly account?: string; readonly algorithm?: string }[];
}

export interface BaselineSection {
  readonly scanned: boolean;
  readonly checks: readonly BaselineCheck[];
  readonly weakPasswords?: WeakPasswordSearch | null;
}

export interface MalwareEngineStatus {
  readonly engine?: string;
  readonly status?: 'ok' | 'failed' | 'off';
  readonly failedFiles?: number;
  readonly reason?: string;
}

export interface MalwareSection {
  readonly scanned: boolean;
  readonly findings: readonly MalwareFinding[];
  readonly engines?: readonly MalwareEngineStatus[] | null;
}

export interface SecretsSection {
  readonly scanned: boolean;
  readonly findings: readonly SecretFinding[];
  /** Rules applied and base layers skipped (opaque); null when secrets were not scanned. */
  readonly coverage?: { readonly rules?: number; readonly skippedBaseLayers?: number } | null;
}

/** Packages per licence category (opaque in the API). */
export interface LicenseSummary {
  readonly packages?: number;
  readonly byCategory?: Readonly<Record<string, number>>;
  readonly undeclared?: number;
  readonly violations?: number;
}

export interface ComplianceSection {
  readonly scanned: boolean;
  readonly findings: readonly ComplianceFinding[];
  readonly licenses?: LicenseSummary | null;
}

export interface SoftwareSection {
  readonly packages: readonly InventoryPackage[];
}

export interface LargeFile {
  readonly path: string;
  readonly size: number;
  /** Set in the totals of the final filesystem, absent in a layer's own statistics. */
  readonly layerIndex?: number;
}

/** The final filesystem (opaque in the API). */
export interface FileTotals {
  readonly files?: number;
  readonly directories?: number;
  readonly symlinks?: number;
  readonly totalBytes?: number;
  readonly largest?: readonly LargeFile[];
  readonly setuid?: readonly string[];
  readonly setgid?: readonly string[];
  readonly worldWritable?: readonly string[];
}

export interface FilesSection {
  readonly files?: FileTotals | null;
}

export type FindingCounts = Readonly<Record<SeverityLevel, number>>;

/** Findings of one risk type from the base image's layers and from the image's own; absent when not scanned. */
export interface OriginCount {
  readonly base: number;
  readonly own: number;
}

/** The catalogued base image the image was built on (opaque in the API). */
export interface BaseImage {
  /** Repository of the base image (`library/debian`). */
  readonly name?: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly platform?: { readonly os?: string; readonly architecture?: string; readonly variant?: string };
  readonly os?: { readonly family?: string; readonly id?: string; readonly version?: string };
  /** How many of the image's layers, from the bottom, are the base image's. */
  readonly layers?: number;
  /** The image is the base image itself. */
  readonly wholeImage?: boolean;
  /** `marked` by a user, or `catalogued` by reference. */
  readonly addedBy?: string;
  readonly findings?: {
    readonly vulnerabilities?: OriginCount;
    readonly secrets?: OriginCount;
    readonly malware?: OriginCount;
    readonly compliance?: OriginCount;
  };
  readonly vulnerabilitiesFromBase?: Partial<FindingCounts>;
  /** Other catalogued tags of the same base with fewer vulnerabilities, best first. */
  readonly betterTags?: readonly {
    readonly tag?: string;
    readonly digest?: string;
    readonly vulnerabilities?: Partial<FindingCounts>;
  }[];
}

export interface BaseImageSection {
  /** Null when no catalogued base image matched (or no catalogue is configured). */
  readonly baseImage?: BaseImage | null;
}

/** File statistics of one layer (opaque in the API). */
export interface LayerStats {
  readonly files?: number;
  readonly directories?: number;
  readonly symlinks?: number;
  readonly hardlinks?: number;
  readonly totalBytes?: number;
  /** Files the layer deletes from those below it. */
  readonly whiteouts?: number;
  readonly largest?: readonly LargeFile[];
  readonly setuid?: readonly string[];
  readonly setgid?: readonly string[];
  readonly worldWritable?: readonly string[];
}

export interface LayerEntry {
  readonly index: number;
  readonly digest: string;
  readonly diffId?: string;
  readonly mediaType: string;
  readonly size: number;
  readonly uncompressedSize: number;
  readonly createdBy?: string;
  readonly stats?: LayerStats | null;
  /** The analysis was replayed from the layer cache (the blob was not downloaded again). */
  readonly fromCache?: boolean;
}

export interface LayersSection {
  readonly layers: readonly LayerEntry[];
}

/** Each section's content, by the section's name. */
export interface ReportSectionContent {
  readonly summary: SummarySection;
  readonly vulnerabilities: VulnerabilitiesSection;
  readonly baseline: BaselineSection;
  readonly malware: MalwareSection;
  readonly secrets: SecretsSection;
  readonly compliance: ComplianceSection;
  readonly software: SoftwareSection;
  readonly files: FilesSection;
  readonly 'base-image': BaseImageSection;
  readonly layers: LayersSection;
}

/** `GET …/images/{imageId}/report/{section}`: the section of every scanned platform (or of `platform`). */
export interface ReportSectionReply<S extends ReportSection> {
  readonly image: ImageSummary;
  readonly platforms: readonly {
    readonly platform: string;
    readonly resultId: string;
    readonly section: ReportSectionContent[S];
  }[];
}
