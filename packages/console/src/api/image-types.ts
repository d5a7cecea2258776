/**
 * The repository image list (server api/routes/image-routes.ts, api/schemas/image-schemas.ts).
 * The value lists mirror the API's enums; test/console checks them against the OpenAPI document.
 */

export const imageScanStatuses = [
  'not_scanned',
  'queued',
  'scanning',
  'succeeded',
  'failed',
  'terminated',
] as const;
export type ImageScanStatus = (typeof imageScanStatuses)[number];

/** From the most to the least severe; `none` = scanned and nothing open, `unknown` = severity unknown. */
export const riskLevels = ['critical', 'high', 'medium', 'low', 'unknown', 'none'] as const;
export type RiskLevel = (typeof riskLevels)[number];

export const registryTypes = ['harbor', 'jfrog', 'registry', 'dockerhub'] as const;
export type RegistryType = (typeof registryTypes)[number];

export const imageSortKeys = [
  'name',
  'namespace',
  'tag',
  'registry',
  'size',
  'pushedAt',
  'lastScanAt',
  'riskLevel',
  'scanStatus',
] as const;
export type ImageSortKey = (typeof imageSortKeys)[number];

export type SortOrder = 'asc' | 'desc';

export interface RiskCounts {
  readonly vulnerability: {
    readonly critical: number;
    readonly high: number;
    readonly medium: number;
    readonly low: number;
    readonly unknown: number;
  };
  readonly secret: number;
  readonly malware: number;
  readonly baseline: number;
  readonly compliance: number;
}

export interface PlatformEntry {
  /** `os/architecture[/variant]`. */
  readonly platform: string;
  readonly digest: string;
  readonly size: number;
}

export interface RepositoryImage {
  readonly id: string;
  readonly connectionId: string;
  readonly connectionName: string;
  readonly registryType: RegistryType;
  readonly namespace: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  /** The child manifests of a multi-architecture index; empty for a single-platform image. */
  readonly platforms: readonly PlatformEntry[];
  readonly pushedAt: string | null;
  readonly syncedAt: string;
  readonly deletedAt: string | null;
  readonly scanStatus: ImageScanStatus;
  readonly failureCode: string | null;
  readonly failureMessage: string | null;
  readonly lastScanAt: string | null;
  /** Null until the first scan succeeded. */
  readonly riskCounts: RiskCounts | null;
  readonly riskLevel: RiskLevel | null;
}

export interface ImagePage {
  readonly total: number;
  /**
   * True when the service stopped counting: `total` is then a lower bound ("at least"). Services
   * that always count exactly leave it out.
   */
  readonly totalIsLowerBound?: boolean;
  readonly offset: number;
  readonly limit: number;
  readonly images: readonly RepositoryImage[];
}

/** The list's filters, as both the list query and a scan scope (`kind: 'filter'`) name them. */
export interface ImageFilter {
  readonly name?: string;
  readonly namespace?: string;
  readonly tag?: string;
  readonly status?: readonly ImageScanStatus[];
  readonly registryId?: readonly string[];
  readonly registryType?: readonly RegistryType[];
  /** RFC 3339: pushed at or after. */
  readonly updatedAfter?: string;
  /** RFC 3339: pushed before. */
  readonly updatedBefore?: string;
}

/** The largest page the API gives (`limit` at most 1000). */
export const maxImagePageSize = 1000;
