import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration';
import * as initial from './migrations/0001-initial.ts';
import * as layerCache from './migrations/0002-layer-cache.ts';
import * as taskDeadline from './migrations/0003-task-deadline.ts';
import * as access from './migrations/0004-access.ts';
import * as imageListIndexes from './migrations/0005-image-list-indexes.ts';
import * as findingIndex from './migrations/0006-finding-index.ts';
import * as riskTrend from './migrations/0007-risk-trend.ts';
import * as harborAdapter from './migrations/0008-harbor-adapter.ts';
import * as ciScans from './migrations/0009-ci-scans.ts';
import * as webhooks from './migrations/0010-webhooks.ts';
import * as registryEvents from './migrations/0011-registry-events.ts';
import * as reportJson from './migrations/0012-report-json.ts';
import * as reportZstd from './migrations/0013-report-zstd.ts';
import * as findingGroupSearch from './migrations/0014-finding-group-search.ts';

/** Every migration, in order; an explicit list so nothing depends on reading a folder at run time. */
const migrations = {
  '0001-initial': initial,
  '0002-layer-cache': layerCache,
  '0003-task-deadline': taskDeadline,
  '0004-access': access,
  '0005-image-list-indexes': imageListIndexes,
  '0006-finding-index': findingIndex,
  '0007-risk-trend': riskTrend,
  '0008-harbor-adapter': harborAdapter,
  '0009-ci-scans': ciScans,
  '0010-webhooks': webhooks,
  '0011-registry-events': registryEvents,
  '0012-report-json': reportJson,
  '0013-report-zstd': reportZstd,
  '0014-finding-group-search': findingGroupSearch,
} satisfies Readonly<Record<string, Migration>>;

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; run on every start (a no-op when current). */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  settled(await new Migrator({ db, provider }).migrateToLatest());
}

/** Brings the schema up to the migration `name`, inclusive: a test of the next one starts there. */
export async function migrateTo(db: Kysely<unknown>, name: keyof typeof migrations): Promise<void> {
  settled(await new Migrator({ db, provider }).migrateTo(name));
}

function settled({ error, results }: MigrationResultSet): void {
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed`, { cause: error });
  }
}
