import type { RegistryType } from './image-types.ts';

/**
 * Handling of results (server api/routes/handling-routes.ts and scan-settings-routes.ts, PRODUCT.md
 * 4.1), and the severity and handling vocabulary every finding shares (the report, the risk views
 * and exports read them from here). Dates arrive as RFC 3339 strings. The value lists mirror the
 * API's enums.
 */

/** Handling events of a vulnerability; `unignore` and `unallowlist` cancel earlier ones. */
export const handlingActions = ['ignore', 'unignore', 'repaired', 'allowlist', 'unallowlist'] as const;
export type HandlingAction = (typeof handlingActions)[number];

/** Only these events may carry an expiry (the service refuses one on the others). */
export const expiringHandlingActions: readonly HandlingAction[] = ['ignore', 'allowlist'];

/** The state a finding is in after its events; only `open` counts in the risk counts. */
export const handlingStates = ['open', 'ignored', 'repaired', 'allowlisted'] as const;
export type HandlingState = (typeof handlingStates)[number];

/** From the most to the least severe, as vulnerability findings rate them. */
export const severityLevels = ['critical', 'high', 'medium', 'low', 'unknown'] as const;
export type SeverityLevel = (typeof severityLevels)[number];

/** Which images a handling event covers. */
export type HandlingScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'registry_types'; readonly types: readonly RegistryType[] }
  | { readonly kind: 'images'; readonly imageIds: readonly string[] };

/** One recorded event; history is never rewritten. */
export interface HandlingEntry {
  readonly id: string;
  readonly projectId: string;
  readonly advisoryId: string;
  /** Only findings in this package; null = any package. */
  readonly packageName: string | null;
  readonly action: HandlingAction;
  readonly scope: HandlingScope;
  readonly reason: string;
  readonly userName: string;
  readonly at: string;
  /** After this instant the entry no longer applies; null = never. */
  readonly expiresAt: string | null;
}

/** The body of `POST handling/vulnerabilities` (answered 201 with the `HandlingEntry`). */
export interface HandlingInput {
  readonly advisoryId: string;
  readonly packageName?: string | null;
  readonly action: HandlingAction;
  readonly scope: HandlingScope;
  /** 1 to 4,000 characters. */
  readonly reason: string;
  /** RFC 3339, in the future; `ignore` and `allowlist` only. */
  readonly expiresAt?: string;
}

/** `GET handling/vulnerabilities/:advisoryId`: the advisory's events, oldest first. */
export interface HandlingHistory {
  readonly entries: readonly HandlingEntry[];
}

/** An ignore of a sensitive-information finding (a rule on a path). */
export interface SecretIgnore {
  readonly id: string;
  readonly projectId: string;
  /** null = ignored in every image of the project. */
  readonly imageId: string | null;
  readonly ruleId: string;
  readonly path: string;
  readonly reason: string;
  readonly userName: string;
  readonly at: string;
  /** When it was lifted; null while it applies. */
  readonly removedAt: string | null;
}

/** `GET handling/secret-ignores`, newest first. */
export interface SecretIgnoreList {
  readonly ignores: readonly SecretIgnore[];
}

/** The body of `POST handling/secret-ignores`. */
export interface SecretIgnoreInput {
  /** Absent or null: in every image. */
  readonly imageId?: string | null;
  readonly ruleId: string;
  readonly path: string;
  readonly reason: string;
}

/** `GET`/`PATCH scan-settings` (both need `results:handle`: the words may be the company's own). */
export interface ScanSettings {
  readonly projectId: string;
  readonly weakPasswords: readonly string[];
  readonly secretPathAllowlist: readonly string[];
  /**
   * The validated compliance policy document (opaque in the API's schema; its fields are those of
   * `CompliancePolicyDocument`); null = the built-in policy.
   */
  readonly compliancePolicy: unknown;
  /** A registry push notification starts a scan of the pushed image. */
  readonly scanOnPush: boolean;
  /** null while the project never changed its settings. */
  readonly updatedAt: string | null;
}

/** The body of `PATCH scan-settings`; absent fields keep their value. */
export interface ScanSettingsChange {
  /** Up to 100,000 words of 1 to 256 characters. */
  readonly weakPasswords?: readonly string[];
  /** Up to 1,000 path globs of 1 to 1,000 characters. */
  readonly secretPathAllowlist?: readonly string[];
  /** The policy document as YAML or JSON text; null returns to the built-in policy. */
  readonly compliancePolicy?: string | null;
  readonly scanOnPush?: boolean;
}

/** The engine's licence categories (engine check/compliance/license-category.ts). */
export const licenseCategories = [
  'forbidden',
  'restricted',
  'reciprocal',
  'notice',
  'permissive',
  'unencumbered',
  'unknown',
] as const;
export type LicenseCategory = (typeof licenseCategories)[number];

export const prohibitedCategories = [
  'network-scanner',
  'attack-framework',
  'password-cracker',
  'traffic-interception',
  'crypto-miner',
  'remote-access',
  'network-relay',
] as const;
export type ProhibitedCategory = (typeof prohibitedCategories)[number];

export const complianceSeverities = ['critical', 'high', 'medium', 'low'] as const;
export type ComplianceSeverity = (typeof complianceSeverities)[number];

/** The package ecosystems a prohibited entry may name packages in. */
export const packageEcosystems = [
  'deb',
  'apk',
  'rpm',
  'npm',
  'pypi',
  'golang',
  'maven',
  'gem',
  'cargo',
  'composer',
  'nuget',
] as const;
export type PackageEcosystem = (typeof packageEcosystems)[number];

/** One program the project prohibits, beside the built-in list. */
export interface ProhibitedSoftware {
  /** Lower-case letters, digits, `.`, `_` and `-`; findings name it as `prohibited:<id>`. */
  readonly id: string;
  readonly category: ProhibitedCategory;
  readonly severity: ComplianceSeverity;
  readonly reason: string;
  readonly packages: Partial<Readonly<Record<PackageEcosystem, readonly string[]>>>;
  /** Executable file names (basename, exact). */
  readonly binaries: readonly string[];
  /** Hex SHA-256 digests of known builds. */
  readonly sha256?: readonly string[];
}

/**
 * The compliance policy file (engine check/compliance/policy-file.ts): every field optional, an
 * absent one takes the built-in default.
 */
export interface CompliancePolicyDocument {
  readonly forbiddenCategories?: readonly LicenseCategory[];
  readonly restrictedCategories?: readonly LicenseCategory[];
  readonly restrictedScope?: 'all' | 'application';
  readonly allowIds?: readonly string[];
  readonly denyIds?: readonly string[];
  readonly reportUnknown?: boolean;
  readonly reportUndeclared?: boolean;
  readonly prohibitedSoftware?: readonly ProhibitedSoftware[];
  /** Ids of built-in prohibited entries the project accepts. */
  readonly allowSoftware?: readonly string[];
  readonly endOfLifeNoticeDays?: number;
}
