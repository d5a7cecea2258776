import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultBaseImageCataloguePath, defaultDatabasePath, defaultHashStorePath } from '@drydock/engine';
import {
  DrydockService,
  storeLocationFromEnvironment,
  type Project,
  type ServiceOptions,
  type StoreLocation,
} from '@drydock/server';

/** Options every service command takes. */
export interface ServiceCommandOptions {
  readonly dataDir?: string;
  /** A PostgreSQL URL; else DATABASE_URL, else the embedded database in the data directory. */
  readonly database?: string;
  readonly project?: string;
  readonly db?: string;
  readonly malwareDb?: string;
  readonly clamd?: string;
}

/** `$DRYDOCK_DATA_DIR`, else `$XDG_DATA_HOME/drydock`, else `~/.local/share/drydock`. */
export function defaultDataDir(env = process.env): string {
  if (env['DRYDOCK_DATA_DIR']) return env['DRYDOCK_DATA_DIR'];
  return join(env['XDG_DATA_HOME'] || join(homedir(), '.local', 'share'), 'drydock');
}

async function present(path: string): Promise<string | undefined> {
  try {
    await access(path);
    return path;
  } catch {
    return undefined;
  }
}

/** `--database`, else DATABASE_URL, else the embedded database in the data directory. */
export function storeLocationOf(options: ServiceCommandOptions): StoreLocation {
  const dataDir = options.dataDir ?? defaultDataDir();
  return options.database
    ? { kind: 'postgres', url: options.database }
    : storeLocationFromEnvironment(join(dataDir, 'db'));
}

/**
 * Opens the service on its database (`storeLocationOf`). `workers` > 0 runs scans in this
 * process; `tickMs` > 0 runs the dispatcher and scheduler on a timer.
 */
export async function openService(
  options: ServiceCommandOptions,
  run: { readonly workers?: number; readonly tickMs?: number } & Pick<
    ServiceOptions,
    'databaseServer' | 'dispatchAfterScan'
  > = {},
): Promise<DrydockService> {
  const dataDir = options.dataDir ?? defaultDataDir();
  const workers = run.workers ?? 0;
  const hashStore = options.malwareDb ?? (await present(defaultHashStorePath()));
  const catalogue = await present(defaultBaseImageCataloguePath());
  return DrydockService.open({
    store: storeLocationOf(options),
    stateDir: dataDir,
    ...(process.env['DRYDOCK_SECRET_KEY'] ? { secretKey: process.env['DRYDOCK_SECRET_KEY'] } : {}),
    workers: { manual: workers, scheduled: workers > 1 ? Math.floor(workers / 2) : workers },
    tickMs: run.tickMs ?? 0,
    ...(run.databaseServer ? { databaseServer: run.databaseServer } : {}),
    ...(run.dispatchAfterScan === undefined ? {} : { dispatchAfterScan: run.dispatchAfterScan }),
    engines: {
      vulnerabilityDatabasePath: options.db ?? defaultDatabasePath(),
      malwareHashStorePath: hashStore ?? null,
      ...(options.clamd ? { clamd: options.clamd } : {}),
      ...(catalogue ? { baseCataloguePath: catalogue } : {}),
    },
  });
}

export async function projectOf(service: DrydockService, options: ServiceCommandOptions): Promise<Project> {
  return options.project ? service.projects.byName(options.project) : service.projects.ensureDefault();
}
