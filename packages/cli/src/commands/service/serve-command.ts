import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApiServer, type ApiServer, type DrydockService } from '@drydock/server';
import { serverConnectionOf, type ServerOptions } from './server-options.ts';
import {
  defaultDataDir,
  openService,
  projectOf,
  storeLocationOf,
  type ServiceCommandOptions,
} from './service-context.ts';
import { WorkerHealth } from './worker-health.ts';

export const defaultListen = '127.0.0.1:8080';

/**
 * The built console (`npm run build -w packages/console`), or DRYDOCK_CONSOLE_DIR. Found through
 * the @drydock/console package where node_modules links it (a path relative to this file differs
 * between the sources and the CLI's bundle), else beside the sources (an install of the command's
 * workspaces only, as deploy/Dockerfile makes).
 */
function consoleDir(): string {
  const configured = process.env['DRYDOCK_CONSOLE_DIR'];
  if (configured) return configured;
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@drydock/console/package.json')), 'dist');
  } catch {
    return fileURLToPath(new URL('../../../../console/dist', import.meta.url));
  }
}

/** `host:port` (IPv6 hosts in brackets); undefined when it is not one. */
export function parseListen(value: string): { readonly host: string; readonly port: number } | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[3]);
  const host = match?.[1] ?? match?.[2];
  if (!host || !Number.isInteger(port) || port > 65_535) return undefined;
  return { host, port };
}

type RunOptions = ServiceCommandOptions &
  ServerOptions & {
    readonly workers?: string;
    readonly listen?: string;
    readonly healthListen?: string;
  };

/** `--workers`, else DRYDOCK_WORKERS, else the role's default; undefined when it is not a count. */
function workerCount(options: RunOptions, role: 'serve' | 'worker'): number | undefined {
  const text = options.workers ?? process.env['DRYDOCK_WORKERS'];
  if (text === undefined || text === '')
    return role === 'worker' ? availableParallelism() : Math.max(1, Math.floor(availableParallelism() / 2));
  const count = Number(text);
  return Number.isInteger(count) && count >= 0 && count <= 256 ? count : undefined;
}

function refuse(role: string, message: string): number {
  process.stderr.write(`drydock ${role}: ${message}\n`);
  return 2;
}

/**
 * `drydock serve` (the service with its HTTP API, scheduler, syncs and in-process workers, on the
 * embedded database by default) and `drydock worker` (scans only, on the service's PostgreSQL,
 * with the service's vulnerability database). Both run until SIGINT or SIGTERM, then finish
 * cleanly: the API stops taking requests and lets the ones in flight end, and running scans go
 * back to the queue.
 */
export async function runServe(options: RunOptions, role: 'serve' | 'worker'): Promise<number> {
  const store = storeLocationOf(options);
  if (role === 'worker' && store.kind !== 'postgres')
    return refuse(role, "needs the service's PostgreSQL database: --database postgres://… or DATABASE_URL");
  // Workers on other machines open the registry credentials the service sealed: one key for all.
  if (store.kind === 'postgres' && !process.env['DRYDOCK_SECRET_KEY'])
    return refuse(
      role,
      'on PostgreSQL every serve and worker needs the same DRYDOCK_SECRET_KEY (base64 of 32 random bytes, e.g. `openssl rand -base64 32`)',
    );
  const workers = workerCount(options, role);
  if (workers === undefined) return refuse(role, '--workers wants a whole number from 0 to 256');
  if (role === 'worker' && workers === 0) return refuse(role, 'a worker needs at least one scan worker');
  const listenText =
    role === 'serve'
      ? (options.listen ?? process.env['DRYDOCK_LISTEN'] ?? defaultListen)
      : (options.healthListen ?? process.env['DRYDOCK_HEALTH_LISTEN'] ?? '');
  const listen = listenText === '' ? undefined : parseListen(listenText);
  if (listenText !== '' && !listen)
    return refuse(
      role,
      `${role === 'serve' ? '--listen' : '--health-listen'} wants host:port, not ${listenText}`,
    );
  const server = role === 'worker' ? await serverConnectionOf(options) : undefined;
  const health =
    role === 'worker' && listen ? await WorkerHealth.listen(listen.host, listen.port) : undefined;
  let service: DrydockService | undefined;
  let api: ApiServer | undefined;
  try {
    service = await openService(options, {
      workers,
      // The dispatcher, scheduler and syncs run in `serve`; a worker only scans (and fills the
      // pull slot its scan freed at once).
      tickMs: role === 'serve' ? 1000 : 0,
      dispatchAfterScan: true,
      ...(server
        ? {
            databaseServer: {
              url: server.baseUrl,
              token: server.token,
              dir: join(options.dataDir ?? defaultDataDir(), 'worker'),
            },
          }
        : {}),
    });
    health?.serve(service);
    const project = await projectOf(service, options);
    if (role === 'serve' && listen) {
      const adminPassword = process.env['DRYDOCK_ADMIN_PASSWORD'];
      api = await startApiServer({
        service,
        host: listen.host,
        port: listen.port,
        consoleDir: consoleDir(),
        ...(adminPassword ? { adminPassword } : {}),
        ...(process.env['DRYDOCK_METRICS_TOKEN']
          ? { metricsToken: process.env['DRYDOCK_METRICS_TOKEN'] }
          : {}),
        // The request log goes to standard error, as JSON lines; standard output carries the notices.
        logger: { level: process.env['DRYDOCK_LOG_LEVEL'] ?? 'info', stream: process.stderr },
      });
      if (api.bootstrap?.generated)
        process.stdout.write(
          `drydock serve: created the first user "${api.bootstrap.userName}" with the one-time password ${api.bootstrap.password} (change it after signing in)\n`,
        );
    }
    const where =
      service.store.kind === 'pglite'
        ? `the embedded database in ${options.dataDir ?? defaultDataDir()}`
        : 'PostgreSQL';
    const extras = [
      `project ${project.name}`,
      ...(api
        ? [`console at ${api.url}/, API at ${api.url}/api/v1 (documentation at ${api.url}/api/v1/docs)`]
        : []),
      ...(server ? [`vulnerability database from ${server.baseUrl}`] : []),
      ...(health && listen ? [`probes at http://${listen.host}:${listen.port}/healthz and /readyz`] : []),
    ];
    process.stdout.write(
      `drydock ${role}: running with ${workers} scan workers on ${where}; ${extras.join('; ')}\n`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    process.stdout.write(`drydock ${role}: stopping\n`);
  } finally {
    await api?.close();
    await service?.close();
    await health?.close();
  }
  return 0;
}
