/**
 * Test support for the results tests (not used by the service): a minimal image report, finding
 * builders, and rows inserted into a store with every column a test does not care about at a
 * neutral value, so that each test names only the data its assertions depend on.
 */
import { after, before } from 'node:test';
import type { ImageReport, SecretFinding, Severity, VulnerabilityFinding } from '@drydock/engine';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { toJson } from '../store/json.ts';
import { packReport } from '../store/packed-report.ts';
import {
  riskTypes,
  type Database,
  type RegistryConnectionTable,
  type RepositoryImageTable,
  type ScanResultTable,
} from '../store/schema.ts';
import { openStore, type Store } from '../store/store.ts';
import { riskCounts, riskLevel } from './risk-summary.ts';

/** The layer a finding points at (the engine's index does not export LayerRef by name). */
export type FindingLayer = VulnerabilityFinding['package']['layer'];

/** An amd64 Linux report with an empty configuration and no findings, plus `fields`. */
export function imageReport(fields: Partial<ImageReport> = {}): ImageReport {
  return {
    platform: { os: 'linux', architecture: 'amd64' },
    manifestDigest: undefined,
    configDigest: undefined,
    repoTags: [],
    created: undefined,
    config: {
      user: undefined,
      env: [],
      entrypoint: [],
      cmd: [],
      workingDir: undefined,
      exposedPorts: [],
      labels: {},
      healthcheck: undefined,
    },
    os: undefined,
    layers: [],
    packages: [],
    vulnerabilities: [],
    files: {
      files: 0,
      directories: 0,
      symlinks: 0,
      totalBytes: 0,
      largest: [],
      setuid: [],
      setgid: [],
      worldWritable: [],
    },
    diagnostics: [],
    durationMs: 0,
    ...fields,
  };
}

export interface DebVulnerabilityFields extends Partial<Omit<VulnerabilityFinding, 'package'>> {
  /** The installed version of the Debian package (default `1.0-1`). */
  readonly version?: string;
  readonly layer?: FindingLayer;
}

/** An affected Debian package `name` matched by name to advisory `id`, plus `fields`. */
export function debVulnerability(
  id: string,
  name: string,
  severity: Severity,
  fields: DebVulnerabilityFields = {},
): VulnerabilityFinding {
  const {
    version = '1.0-1',
    layer = { index: 0, digest: 'sha256:l0', diffId: undefined, createdBy: undefined },
    ...finding
  } = fields;
  return {
    id,
    aliases: [],
    status: 'affected',
    package: {
      ecosystem: 'deb',
      name,
      version,
      purl: `pkg:deb/debian/${name}@${version}`,
      path: 'var/lib/dpkg/status',
      layer,
    },
    installedVersion: version,
    fixedVersions: [],
    severity,
    severitySource: 'test',
    summary: undefined,
    description: undefined,
    references: [],
    published: undefined,
    modified: '2024-01-01T00:00:00Z',
    evidence: {
      osvEcosystem: 'Debian:12',
      osvPackage: name,
      matchedBy: 'name',
      scheme: 'dpkg',
      range: undefined,
    },
    ...finding,
  };
}

/** A masked AWS-style key found by rule `ruleId` in file `path` (line 1), plus `fields`. */
export function secretFinding(
  ruleId: string,
  path: string,
  fields: Partial<SecretFinding> = {},
): SecretFinding {
  return {
    ruleId,
    title: ruleId,
    severity: 'high',
    category: 'cloud',
    path,
    line: 1,
    secret: 'AKIA************MPLE',
    excerpt: 'aws_access_key_id = AKIA************MPLE',
    fingerprint: '0'.repeat(64),
    location: 'file',
    inFinalFilesystem: true,
    ...fields,
  };
}

type Db = Kysely<Database>;
type Row<Table> = Insertable<Table>;

/**
 * An in-memory store shared by the tests of one file: registers the file's `before` hook, which
 * opens it and runs `seed`, and its `after` hook, which closes it. `db` is readable in the tests.
 */
export function storeForTests(seed: (db: Db) => Promise<void>): { readonly db: Db } {
  let store: Store | undefined;
  before(async () => {
    store = await openStore({ kind: 'pglite' });
    await seed(store.db);
  });
  after(async () => {
    await store?.close();
  });
  return {
    get db(): Db {
      if (store === undefined) throw new Error('the store opens in the before hook');
      return store.db;
    },
  };
}

/** The stored scan result `id` as it reads back now. */
export function storedResult(db: Db, id: string): Promise<Selectable<ScanResultTable>> {
  return db.selectFrom('scanResult').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The stored repository image `id` as it reads back now. */
export function storedImage(db: Db, id: string): Promise<Selectable<RepositoryImageTable>> {
  return db.selectFrom('repositoryImage').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Projects named after their ids, created at `at`. */
export async function insertProjects(db: Db, at: Date, ...ids: readonly string[]): Promise<void> {
  for (const id of ids)
    await db.insertInto('project').values({ id, name: id, timeZone: 'UTC', createdAt: at }).execute();
}

/** A checked, anonymous connection of project `p1` (unless `row` says otherwise) named after its id. */
export async function insertConnection(
  db: Db,
  at: Date,
  row: Pick<Row<RegistryConnectionTable>, 'id' | 'type'> & Partial<Row<RegistryConnectionTable>>,
): Promise<void> {
  await db
    .insertInto('registryConnection')
    .values({
      projectId: 'p1',
      name: row.id,
      url: 'https://registry.example',
      credentialsSealed: null,
      caPem: null,
      skipTlsVerify: false,
      include: toJson([]),
      exclude: toJson([]),
      namespaces: toJson([]),
      credentialExpiresAt: null,
      maxConcurrentPulls: 4,
      status: 'ok',
      statusReason: null,
      statusMessage: null,
      checkedAt: null,
      createdAt: at,
      updatedAt: at,
      ...row,
    })
    .execute();
}

/**
 * A scanned (succeeded) image `team/{id}:v1` of project `p1` (unless `row` says otherwise), synced
 * and scanned at `at`, without risk counts.
 */
export async function insertImage(
  db: Db,
  at: Date,
  row: Pick<Row<RepositoryImageTable>, 'id' | 'connectionId'> & Partial<Row<RepositoryImageTable>>,
): Promise<void> {
  const repository = row.repository ?? `team/${row.id}`;
  await db
    .insertInto('repositoryImage')
    .values({
      projectId: 'p1',
      namespace: 'team',
      repository,
      tag: 'v1',
      pullRegistry: 'registry.example',
      pullRepository: repository,
      digest: `sha256:${row.id}`,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: 1,
      platforms: toJson([]),
      pushedAt: null,
      syncedAt: at,
      deletedAt: null,
      scanStatus: 'succeeded',
      failureCode: null,
      failureMessage: null,
      lastScanAt: at,
      riskCounts: null,
      riskLevel: null,
      createdAt: at,
      ...row,
    })
    .execute();
}

/**
 * A result of project `p1` (unless `row` says otherwise) holding `report`, matched and created at
 * `at`, that scanned every risk type, with the report's unhandled counts and level.
 */
export async function insertResult(
  db: Db,
  at: Date,
  report: ImageReport,
  row: Pick<Row<ScanResultTable>, 'id' | 'imageId'> & Partial<Row<ScanResultTable>>,
): Promise<void> {
  await db
    .insertInto('scanResult')
    .values({
      projectId: 'p1',
      taskId: null,
      digest: `sha256:${row.id}`,
      platform: '',
      report: packReport(report),
      riskTypes: toJson(riskTypes),
      riskCounts: toJson(riskCounts(report)),
      riskLevel: riskLevel(report),
      matchedAt: at,
      databaseBuiltAt: null,
      createdAt: at,
      ...row,
    })
    .execute();
}
