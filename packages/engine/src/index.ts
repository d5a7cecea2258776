/**
 * The engine's public API: the only module the server and the CLI import.
 */
export {
  DrydockError,
  failureCodes,
  isDrydockError,
  toDrydockError,
  type FailureCode,
} from './util/errors.ts';
export { defaultLimits, resolveLimits, type ScanLimits } from './util/limits.ts';
export type {
  Image,
  ImageMetadata,
  ImageSource,
  LayerDescriptor,
  Platform,
  PlatformManifest,
  SourceDescription,
  SourceKind,
} from './image/types.ts';
export { formatPlatform, parsePlatform } from './image/platform.ts';
export { parseReference, type ImageReference } from './image/reference.ts';
export type { Credentials as RegistryCredentials } from './image/registry/credentials.ts';
export { RegistryClient } from './image/registry/client.ts';
export { networkError } from './image/registry/network-error.ts';
export { RegistryImageSource } from './image/registry/registry-source.ts';
export { openImageSource, type OpenSourceOptions } from './image/open-source.ts';
export { openDockerArchive, openOciArchive, openOciLayout, openRootfs } from './image/local/index.ts';
export type { Analyzer } from './analyzer/contract.ts';
export { builtinAnalyzers } from './analyzer/registry.ts';
export { scanSource, type ScanOptions, type SecretScanOptions } from './scan/scan-source.ts';
export {
  layerCacheKey,
  malwareSignaturesDigest,
  secretRulesDigest,
  walkFingerprint,
  type AnalyzerIdentity,
  type LayerCache,
  type LayerCacheKeyInput,
} from './scan/layer-cache.ts';
export {
  DirectoryLayerCache,
  defaultDirectoryLayerCacheMaxBytes,
  type DirectoryLayerCacheOptions,
} from './scan/directory-layer-cache.ts';
export type { ScanProgressEvent, ScanProgressListener } from './scan/progress.ts';
export type * from './scan/result.ts';
export { toolVersion } from './scan/tool-version.ts';
export { rematchReport } from './scan/rematch-report.ts';
export { formatJson } from './report/json.ts';
export { formatCycloneDx } from './report/cyclonedx.ts';
export { formatSpdx } from './report/spdx.ts';
export { formatJunit, junitSuites, type JunitSuite } from './report/junit.ts';
export { reportJsonSchema } from './report/report-schema.ts';
export type { InventoryPackage } from './inventory/coalesce-packages.ts';
export type { Ecosystem } from './analyzer/fact.ts';
export { formatBytes } from './report/units.ts';
export type { VulnerabilityFinding, Severity } from './match/finding.ts';
export { severityOrder } from './match/finding.ts';
export { matchInventory } from './match/match-inventory.ts';
export { MatchMemo } from './match/match-memo.ts';
export type { VulnerabilityDatabase, DatabaseStatus } from './vulndb/database.ts';
export * from './vulndb/index.ts';
export {
  applySuppressions,
  noSuppressionRules,
  type ExpiredIgnoreEntry,
  type SuppressionContext,
  type SuppressionResult,
  type SuppressionRules,
} from './report/suppressions.ts';
export {
  defaultIgnoreFileName,
  ignoreEntryMatches,
  loadIgnoreFile,
  parseIgnoreFile,
  type IgnoreEntry,
  type IgnoreFile,
} from './report/suppressions-ignore-file.ts';
export {
  effectiveStatement,
  loadVexDocument,
  parseVexDocument,
  vexJustifications,
  vexStatuses,
  type ImageIdentity,
  type VexDocument,
  type VexJustification,
  type VexStatement,
  type VexStatus,
} from './report/suppressions-vex.ts';
export { imageIdentity } from './report/suppressions-image-identity.ts';
export { purlMatches } from './report/suppressions-purl.ts';
export {
  SuppressionFileError,
  isSuppressionFileError,
  type SuppressionFileErrorCode,
} from './report/suppressions-error.ts';
export {
  filterFindings,
  parseSeverityList,
  severities,
  type FindingFilter,
  type SeverityListResult,
} from './report/filter-findings.ts';
export {
  applyFindingPolicy,
  countBlockingFindings,
  type FindingPolicy,
  type PolicyOutcome,
} from './report/filter-findings-policy.ts';
export { formatSarif, sarifSchema, sarifVersion, type SarifOptions } from './report/sarif.ts';
export * from './analyzer/malware/index.ts';
export * from './analyzer/secret/index.ts';
export * from './check/baseline/index.ts';
export * from './check/weak-password/index.ts';
export * from './check/compliance/index.ts';
export type { BaselineScanOptions } from './scan/baseline-report.ts';
export type { ComplianceScanOptions } from './scan/compliance-report.ts';
export * from './check/base-image/index.ts';
