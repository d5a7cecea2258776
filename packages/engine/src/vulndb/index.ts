/**
 * The vulnerability database's public surface (re-exported by the engine's index): building the
 * SQLite file from OSV feeds, reading it, and the severity of a record.
 */
export type { FeedProvenance } from './database.ts';
export type { OsvAffected, OsvPackage, OsvRecord, OsvSeverity } from './osv-record.ts';
export { validateOsvRecord, type OsvValidation } from './osv-schema.ts';
export {
  DatabaseBuild,
  importFeeds,
  type FeedImportResult,
  type FeedToImport,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
  type InvalidRecord,
} from './builder.ts';
export { importSource, feedNameFor, type ImportSourceOptions } from './import-source.ts';
export { updateDatabase, type FeedUpdateOutcome, type UpdateOptions, type UpdateResult } from './update.ts';
export {
  defaultFeedEcosystems,
  defaultFeeds,
  osvExportUrl,
  parseFeedsFile,
  readFeedsFile,
  type FeedDefinition,
} from './feeds.ts';
export { defaultFeedLimits, resolveFeedLimits, type FeedLimits } from './feed-limits.ts';
export { openFeed, type OpenFeedOptions, type OpenFeedResult } from './sources.ts';
export type { FeedFormat, FeedItem, OpenedFeed } from './feed-item.ts';
export type { FeedFailureReason } from './feed-error.ts';
export {
  databaseExists,
  openVulnerabilityDatabase,
  type EcosystemSummary,
  type VulnerabilityDatabaseFile,
} from './reader.ts';
export { defaultDatabasePath, databaseFileName } from './database-path.ts';
export { normalizePackageName } from './package-name.ts';
export {
  levelOfScore,
  severityOf,
  type SeverityAssessment,
  type SeverityLevel,
  type SeveritySource,
} from './severity.ts';
export { scoreCvssVector, type CvssScore, type CvssVersion } from './cvss.ts';
