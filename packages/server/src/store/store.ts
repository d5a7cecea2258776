import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { fromPglite, type ConstructorOptions } from 'pg-boss';
import { lockDataDir } from './data-dir-lock.ts';
import { migrateToLatest } from './migrate.ts';
import { PgliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

/** Where the service keeps its state: an embedded PGlite directory, or a PostgreSQL server. */
export type StoreLocation =
  | {
      readonly kind: 'pglite';
      /** A directory, or undefined for memory (tests). */ readonly dataDir?: string;
    }
  | { readonly kind: 'postgres'; readonly url: string };

export interface Store {
  readonly kind: StoreLocation['kind'];
  readonly db: Kysely<Database>;
  /** How pg-boss reaches the same database. */
  readonly queueOptions: Pick<ConstructorOptions, 'db' | 'connectionString' | 'backend' | 'max'>;
  close(): Promise<void>;
}

// Nested keys stay as they are: JSON columns hold reports whose keys are data (ENV names, labels).
const camelCase = new CamelCasePlugin({ maintainNestedObjectKeys: true });

/** `DATABASE_URL` when set, else PGlite in `dataDir`. */
export function storeLocationFromEnvironment(dataDir: string, env = process.env): StoreLocation {
  const url = env.DATABASE_URL;
  return url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir };
}

/** Opens the database and runs the migrations. */
export async function openStore(location: StoreLocation): Promise<Store> {
  if (location.kind === 'postgres') {
    // int8 (sizes, micro-amounts) as numbers: every value the service stores fits in 2^53.
    pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
    const pool = new pg.Pool({ connectionString: location.url, max: 10 });
    // A connection the server closed (a restart, a failover) is dropped from the pool and the next
    // query opens a new one; the query in flight fails and its caller retries. Without a listener,
    // the error of a connection lost between two queries would end the process.
    const lost = (error: Error) => process.emitWarning(`database connection lost: ${error.message}`);
    pool.on('error', lost);
    pool.on('connect', (client) => client.on('error', lost));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [camelCase] });
    await migrateToLatest(db as Kysely<unknown>);
    return {
      kind: 'postgres',
      db,
      queueOptions: { connectionString: location.url, max: 5 },
      close: () => db.destroy(),
    };
  }
  let unlock = async () => {};
  if (location.dataDir) {
    await mkdir(location.dataDir, { recursive: true });
    unlock = await lockDataDir(location.dataDir);
  }
  // One options object: PGlite 0.5 drops the options given after an undefined data directory.
  const pglite = new PGlite({
    ...(location.dataDir ? { dataDir: join(location.dataDir, 'pg') } : {}),
    parsers: { 20: (value: string) => Number(value) },
    // Trigrams for the image list's name filter (migration 0005 creates the extension and index).
    extensions: { pg_trgm },
  });
  try {
    await pglite.waitReady;
  } catch (error) {
    await unlock();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PgliteDialect(pglite), plugins: [camelCase] });
  await migrateToLatest(db as Kysely<unknown>);
  return {
    kind: 'pglite',
    db,
    queueOptions: { db: fromPglite(pglite), backend: 'pglite' },
    close: async () => {
      await db.destroy();
      await pglite.close();
      await unlock();
    },
  };
}
