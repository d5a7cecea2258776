import type { ColumnType, Generated } from 'kysely';
import type { CiScanTable } from './schema-ci.ts';
import type { HarborScanTable } from './schema-harbor.ts';
import type { RegistryEventTokenTable } from './schema-registry-events.ts';
import type { WebhookAttemptTable, WebhookDeliveryTable, WebhookTable } from './schema-webhooks.ts';
import type { PackedReport } from './packed-report.ts';

/**
 * The service database's tables as Kysely sees them (camelCase; the CamelCasePlugin maps them to the
 * snake_case columns of the migrations). JSON columns are written as JSON text (see `json.ts`) and
 * read back as values; times are `timestamptz`, always UTC.
 */

/** A JSON column: read as T, written as the JSON text of a T. */
export type JsonColumn<T> = ColumnType<T, JsonText<T>, JsonText<T>>;
/** JSON text known to encode a T (made by `toJson`). */
export type JsonText<T> = string & { readonly __json: T };

type CreatedAt = ColumnType<Date, Date, never>;

export interface ProjectTable {
  readonly id: string;
  name: string;
  /** An IANA time zone; schedules and windows are evaluated in it. */
  timeZone: string;
  createdAt: CreatedAt;
}

export const registryTypes = ['harbor', 'jfrog', 'registry', 'dockerhub'] as const;
export type RegistryType = (typeof registryTypes)[number];

export const connectionStatuses = ['ok', 'failed', 'checking', 'unknown'] as const;
export type ConnectionStatus = (typeof connectionStatuses)[number];

export interface RegistryConnectionTable {
  readonly id: string;
  projectId: string;
  name: string;
  type: RegistryType;
  url: string;
  /** AES-256-GCM envelope of the credentials (see registries/credential-vault.ts); null = anonymous. */
  credentialsSealed: string | null;
  caPem: string | null;
  skipTlsVerify: boolean;
  include: JsonColumn<readonly string[]>;
  exclude: JsonColumn<readonly string[]>;
  /** Docker Hub: the namespaces to list (Docker Hub has no catalog). */
  namespaces: JsonColumn<readonly string[]>;
  credentialExpiresAt: Date | null;
  maxConcurrentPulls: number;
  status: ConnectionStatus;
  statusReason: string | null;
  statusMessage: string | null;
  checkedAt: Date | null;
  createdAt: CreatedAt;
  updatedAt: Date;
}

export const imageScanStatuses = [
  'not_scanned',
  'queued',
  'scanning',
  'succeeded',
  'failed',
  'terminated',
] as const;
export type ImageScanStatus = (typeof imageScanStatuses)[number];

export interface PlatformEntry {
  /** `os/architecture[/variant]`. */
  readonly platform: string;
  readonly digest: string;
  readonly size: number;
}

export interface RiskCounts {
  readonly vulnerability: Readonly<Record<'critical' | 'high' | 'medium' | 'low' | 'unknown', number>>;
  readonly secret: number;
  readonly malware: number;
  readonly baseline: number;
  readonly compliance: number;
}

export const riskLevels = ['critical', 'high', 'medium', 'low', 'none', 'unknown'] as const;
export type RiskLevel = (typeof riskLevels)[number];

export interface RepositoryImageTable {
  readonly id: string;
  projectId: string;
  connectionId: string;
  /** Harbor project, Artifactory repository, Docker Hub namespace, or '' for a plain registry. */
  namespace: string;
  /** The repository path as the registry's API names it (`library/nginx`). */
  repository: string;
  tag: string;
  /** Where the worker pulls it: the registry host and repository path its /v2/ API serves. */
  pullRegistry: string;
  pullRepository: string;
  digest: string;
  mediaType: string;
  size: number;
  platforms: JsonColumn<readonly PlatformEntry[]>;
  pushedAt: Date | null;
  syncedAt: Date;
  /** Set when a sync no longer finds the tag; such images are out of every scope. */
  deletedAt: Date | null;
  scanStatus: ImageScanStatus;
  failureCode: string | null;
  failureMessage: string | null;
  lastScanAt: Date | null;
  riskCounts: JsonColumn<RiskCounts> | null;
  riskLevel: RiskLevel | null;
  createdAt: CreatedAt;
}

export const syncTriggers = ['manual', 'daily', 'push'] as const;
export type SyncTrigger = (typeof syncTriggers)[number];
export const syncStatuses = ['running', 'finished', 'partial', 'failed'] as const;
export type SyncStatus = (typeof syncStatuses)[number];

export interface SyncCounts {
  readonly added: number;
  readonly changed: number;
  readonly deleted: number;
  readonly unchanged: number;
  /**
   * Repositories and tags the listing went on without (refused, or unreadable); an unreadable
   * tag's image is kept as it was. Absent in tasks written before it was counted.
   */
  readonly skipped?: number;
}

/** A registry that failed, or (with `image`) one repository or tag of it that was skipped. */
export interface SyncConnectionError {
  readonly connectionId: string;
  readonly code: string;
  readonly message: string;
  /** The skipped repository (`namespace/repository`) or tag (`…:tag`); absent when the registry failed. */
  readonly image?: string;
}

export interface SyncTaskTable {
  readonly id: string;
  projectId: string;
  trigger: SyncTrigger;
  status: SyncStatus;
  connectionIds: JsonColumn<readonly string[]>;
  counts: JsonColumn<SyncCounts>;
  errors: JsonColumn<readonly SyncConnectionError[]>;
  startedAt: Date;
  finishedAt: Date | null;
}

export const scanTaskTypes = ['manual', 'scheduled'] as const;
export type ScanTaskType = (typeof scanTaskTypes)[number];
export const scanTaskStatuses = [
  'running',
  'finished',
  'stopping',
  'stopped',
  'timed_out',
  'failed',
] as const;
export type ScanTaskStatus = (typeof scanTaskStatuses)[number];

export const riskTypes = ['vulnerability', 'baseline', 'malware', 'secret', 'compliance'] as const;
export type RiskType = (typeof riskTypes)[number];

export interface ScanTaskTable {
  readonly id: string;
  projectId: string;
  name: string;
  type: ScanTaskType;
  scope: JsonColumn<unknown>;
  riskTypes: JsonColumn<readonly RiskType[]>;
  /** Images per hour per registry connection; 0 = unlimited. */
  speedLimit: number;
  creator: string;
  status: ScanTaskStatus;
  /** Scheduled tasks: the policy that started it and its time window. */
  policyRunKey: string | null;
  window: JsonColumn<ScanWindow> | null;
  estimateId: string | null;
  createdAt: CreatedAt;
  finishedAt: Date | null;
  /** After this instant the dispatcher ends the task `timed_out`; null = no deadline. */
  deadlineAt: Date | null;
  /** Why the task is `stopping`: the user stopped it, or its deadline passed. */
  stopReason: StopReason | null;
}

export const stopReasons = ['user', 'timed_out'] as const;
export type StopReason = (typeof stopReasons)[number];

export interface ScanWindow {
  /** `HH:MM`, in `timeZone`. */
  readonly start: string;
  readonly end: string;
  readonly timeZone: string;
}

export const taskImageStatuses = [
  'queued',
  'dispatched',
  'scanning',
  'succeeded',
  'failed',
  'terminated',
] as const;
export type TaskImageStatus = (typeof taskImageStatuses)[number];

export interface ScanTaskImageTable {
  readonly taskId: string;
  readonly imageId: string;
  /** `os/arch[/variant]`, or '' for a single-platform image. */
  readonly platform: string;
  connectionId: string;
  status: TaskImageStatus;
  failureCode: string | null;
  failureMessage: string | null;
  jobId: string | null;
  /** Not dispatched before this time (a registry's Retry-After). */
  notBefore: Date | null;
  attempts: number;
  dispatchedAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  resultId: string | null;
  risky: boolean;
}

export interface ScanResultTable {
  readonly id: string;
  projectId: string;
  imageId: string;
  taskId: string | null;
  digest: string;
  platform: string;
  /** The engine's ImageReport for this platform (secrets already masked), packed (store/packed-report.ts). */
  report: PackedReport;
  riskTypes: JsonColumn<readonly RiskType[]>;
  riskCounts: JsonColumn<RiskCounts>;
  riskLevel: RiskLevel;
  /** When the findings were last matched against the vulnerability data (scan or re-match). */
  matchedAt: Date;
  databaseBuiltAt: string | null;
  createdAt: CreatedAt;
}

export interface EstimateTable {
  readonly id: string;
  projectId: string;
  scope: JsonColumn<unknown>;
  images: number;
  units: number;
  /** Micro-units of `currency`. */
  amountMicros: number;
  currency: string;
  createdAt: CreatedAt;
  expiresAt: Date;
  usedByTaskId: string | null;
}

export const usageSources = ['repository', 'ci'] as const;
export type UsageSource = (typeof usageSources)[number];

export interface BillingEventTable {
  /** Idempotency key: `task:image:platform` for repository scans. */
  readonly key: string;
  projectId: string;
  source: UsageSource;
  taskId: string | null;
  imageId: string | null;
  platform: string;
  /** `YYYY-MM` in UTC. */
  month: string;
  free: boolean;
  priceMicros: number;
  currency: string;
  billedAt: Date;
}

export interface RateBucketTable {
  readonly taskId: string;
  readonly connectionId: string;
  /** The earliest time the next pull may start (a token bucket of capacity one). */
  nextAllowedAt: Date;
}

export interface RegistryPauseTable {
  readonly connectionId: string;
  pausedUntil: Date;
  reason: string;
}

export interface ScanPolicyTable {
  readonly projectId: string;
  enabled: boolean;
  periodDays: number;
  windowStart: string;
  windowEnd: string;
  riskTypes: JsonColumn<readonly RiskType[]>;
  speedLimit: number;
  updatedWithinDays: number;
  connectionIds: JsonColumn<readonly string[]>;
  /** The start of the last window a run was created for (UTC). */
  lastRunAt: Date | null;
  updatedAt: Date;
}

export interface ServiceStateTable {
  readonly key: string;
  value: JsonColumn<unknown>;
  updatedAt: Date;
}

export const handlingActions = ['ignore', 'unignore', 'repaired', 'allowlist', 'unallowlist'] as const;
export type HandlingAction = (typeof handlingActions)[number];

/** Which images a handling entry covers. */
export type HandlingScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'registry_types'; readonly types: readonly RegistryType[] }
  | { readonly kind: 'images'; readonly imageIds: readonly string[] };

/** One handling event; the current state of an advisory is the newest event per scope (history kept). */
export interface VulnerabilityHandlingTable {
  readonly id: string;
  projectId: string;
  advisoryId: string;
  /** Only this package; null = any package. */
  packageName: string | null;
  action: HandlingAction;
  scope: JsonColumn<HandlingScope>;
  reason: string;
  userName: string;
  at: Date;
  expiresAt: Date | null;
}

export interface SecretIgnoreTable {
  readonly id: string;
  projectId: string;
  /** null = in every image. */
  imageId: string | null;
  ruleId: string;
  path: string;
  reason: string;
  userName: string;
  at: Date;
  removedAt: Date | null;
}

/** The project's own inputs to the next scans. */
export interface ProjectScanSettingsTable {
  readonly projectId: string;
  weakPasswords: JsonColumn<readonly string[]>;
  secretPathAllowlist: JsonColumn<readonly string[]>;
  /** A compliance policy document (see the engine's parseCompliancePolicy); null = built-in defaults. */
  compliancePolicy: JsonColumn<unknown> | null;
  /** Scan each image a registry push notification names (migration 0011; default off). */
  scanOnPush: Generated<boolean>;
  updatedAt: Date;
}

export const exportStatuses = ['queued', 'running', 'finished', 'failed'] as const;
export type ExportStatus = (typeof exportStatuses)[number];

export interface ExportJobTable {
  readonly id: string;
  projectId: string;
  /** A risk type, `inventory`, or `image` (one image's whole report). */
  kind: string;
  format: 'csv' | 'json';
  filter: JsonColumn<unknown>;
  status: ExportStatus;
  rows: number;
  content: string | null;
  error: string | null;
  createdAt: CreatedAt;
  /** When a process claimed the job (`running`); a claim older than the lease may be taken over. */
  claimedAt: Date | null;
  finishedAt: Date | null;
}

export interface FindingChange {
  readonly advisoryId: string;
  readonly packageName: string;
  readonly version: string;
}

/** What re-matching a stored inventory against new vulnerability data changed. */
export interface RematchChangeTable {
  readonly id: string;
  projectId: string;
  imageId: string;
  resultId: string;
  databaseBuiltAt: string;
  added: JsonColumn<readonly FindingChange[]>;
  fixed: JsonColumn<readonly FindingChange[]>;
  withdrawn: JsonColumn<readonly FindingChange[]>;
  at: Date;
}

/** One analysed layer of the layer cache (an engine `LayerCache` entry). */
export interface LayerCacheTable {
  /** The engine's `layerCacheKey`: layer content, analyzers and settings. */
  readonly key: string;
  /** The engine's encoded entry (gzip), opaque to the service. */
  value: Uint8Array;
  /** Bytes of `value`, summed for the size cap. */
  size: number;
  createdAt: Date;
  /** The last store or hit; the least recently used entries go first when the cache is full. */
  lastUsedAt: Date;
}

/** A local user (PRODUCT.md section 6); the name is unique regardless of case. */
export interface AppUserTable {
  readonly id: string;
  name: string;
  displayName: string;
  /** The scrypt hash with its parameters (access/password-hash.ts); never leaves the service. */
  passwordHash: string;
  /** May create projects and manage users; holds `admin` in every project. */
  serviceAdmin: boolean;
  disabled: boolean;
  createdAt: CreatedAt;
  passwordChangedAt: Date;
  /** Failed logins since the last success or lockout. */
  failedLogins: number;
  /** Logins are refused until then; null = not locked. */
  lockedUntil: Date | null;
}

/** A console session; the id is the SHA-256 of the cookie's token, which is never stored. */
export interface UserSessionTable {
  readonly id: string;
  readonly userId: string;
  /** Sent back with every cookie-authenticated write (the synchronizer token pattern). */
  readonly csrfToken: string;
  createdAt: CreatedAt;
  /** The absolute end, however active the session is. */
  expiresAt: Date;
  lastSeenAt: Date;
}

/** An API token for scripts and CI; the secret is shown once and only its SHA-256 is stored. */
export interface ApiTokenTable {
  readonly id: string;
  readonly userId: string;
  name: string;
  readonly secretHash: string;
  /** The permissions it may use (intersected with the user's roles); null = all of the user's. */
  permissions: JsonColumn<readonly string[]> | null;
  /** Only in this project; null = every project of the user. */
  projectId: string | null;
  /** null = never expires. */
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: CreatedAt;
}

/** A project's own role: a named set of permissions. */
export interface CustomRoleTable {
  readonly id: string;
  readonly projectId: string;
  name: string;
  permissions: JsonColumn<readonly string[]>;
  createdAt: CreatedAt;
  updatedAt: Date;
}

/** The one role a user holds in a project. */
export interface RoleBindingTable {
  readonly projectId: string;
  readonly userId: string;
  /** A built-in role name (`admin`, `operator`, `viewer`) or a custom role's id. */
  role: string;
  createdAt: Date;
}

/** One change, who made it and from where; rows are only ever added. */
export interface AuditEventTable {
  readonly id: ColumnType<number, never, never>;
  at: Date;
  /** null for changes outside any project. */
  projectId: string | null;
  /** null when no user made it (the scheduler, the first start). */
  userId: string | null;
  userName: string;
  address: string;
  action: string;
  objectType: string;
  objectId: string;
  details: JsonColumn<Readonly<Record<string, unknown>>>;
}

/** A distinct finding of a project (migration 0006; results/finding-index.ts). */
export interface FindingGroupTable {
  readonly id: Generated<number>;
  projectId: string;
  kind: string;
  key: string;
  severity: string | null;
  /** critical 4 … unknown 0; -1 for findings without a severity (packages). */
  severityRank: number;
  /** A vulnerability's advisory (handling applies per advisory); null for other kinds. */
  advisoryId: string | null;
  /** Live images whose current results hold it. */
  images: Generated<number>;
  /** The finding as first indexed. */
  finding: JsonColumn<unknown>;
}

/** A group's key for the risk views' search (migration 0014): written once, with the group. */
export interface FindingGroupSearchTable {
  readonly groupId: number;
  readonly key: string;
}

/** The groups an indexed (current, live) result is counted in. */
export interface ResultFindingTable {
  readonly resultId: string;
  projectId: string;
  imageId: string;
  platform: string;
  groupIds: number[];
}

/** How many groups of a kind and severity live images hold (the risk views' totals). */
export interface FindingTotalTable {
  readonly projectId: string;
  readonly kind: string;
  readonly severityRank: number;
  groups: number;
}

/** An image holding a group, and in how many of its platforms' results. */
export interface ImageFindingTable {
  readonly groupId: number;
  readonly imageId: string;
  results: number;
}

/** One day's counts of one risk kind and severity in a project (migration 0007; results/risk-trend.ts). */
export interface RiskTrendTable {
  readonly projectId: string;
  /**
   * The UTC calendar day, written as `YYYY-MM-DD`. Read it with `to_char(day, 'YYYY-MM-DD')`:
   * PGlite parses a date at UTC midnight, node-postgres at local midnight.
   */
  readonly day: ColumnType<Date, string, never>;
  readonly kind: string;
  readonly severity: string;
  /** Distinct findings of the kind and severity in the project's live images. */
  findings: number;
  /** The sum over those findings of the live images holding each. */
  imageFindings: number;
  recordedAt: Date;
}

export interface Database {
  project: ProjectTable;
  registryConnection: RegistryConnectionTable;
  repositoryImage: RepositoryImageTable;
  syncTask: SyncTaskTable;
  scanTask: ScanTaskTable;
  scanTaskImage: ScanTaskImageTable;
  scanResult: ScanResultTable;
  estimate: EstimateTable;
  billingEvent: BillingEventTable;
  rateBucket: RateBucketTable;
  registryPause: RegistryPauseTable;
  scanPolicy: ScanPolicyTable;
  serviceState: ServiceStateTable;
  vulnerabilityHandling: VulnerabilityHandlingTable;
  secretIgnore: SecretIgnoreTable;
  projectScanSettings: ProjectScanSettingsTable;
  exportJob: ExportJobTable;
  rematchChange: RematchChangeTable;
  layerCache: LayerCacheTable;
  appUser: AppUserTable;
  userSession: UserSessionTable;
  apiToken: ApiTokenTable;
  customRole: CustomRoleTable;
  roleBinding: RoleBindingTable;
  auditEvent: AuditEventTable;
  findingGroup: FindingGroupTable;
  findingGroupSearch: FindingGroupSearchTable;
  resultFinding: ResultFindingTable;
  imageFinding: ImageFindingTable;
  findingTotal: FindingTotalTable;
  riskTrend: RiskTrendTable;
  harborScan: HarborScanTable;
  ciScan: CiScanTable;
  webhook: WebhookTable;
  webhookDelivery: WebhookDeliveryTable;
  webhookAttempt: WebhookAttemptTable;
  registryEventToken: RegistryEventTokenTable;
}
