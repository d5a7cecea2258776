import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startApiServer, type ApiServer } from '@drydock/server';
import { openService, projectOf, defaultDataDir, type ServiceCommandOptions } from './service-context.ts';

export const defaultListen = '127.0.0.1:8080';

/** The built console (`npm run build -w packages/console`) beside this package, or DRYDOCK_CONSOLE_DIR. */
function consoleDir(): string {
  return (
    process.env['DRYDOCK_CONSOLE_DIR'] || fileURLToPath(new URL('../../../../console/dist', import.meta.url))
  );
}

/** `host:port` (IPv6 hosts in brackets); undefined when it is not one. */
export function parseListen(value: string): { readonly host: string; readonly port: number } | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[3]);
  const host = match?.[1] ?? match?.[2];
  if (!host || !Number.isInteger(port) || port > 65_535) return undefined;
  return { host, port };
}

/**
 * `drydock serve` (the service with its HTTP API and in-process workers, on the embedded database
 * by default) and `drydock worker` (workers only, against a shared PostgreSQL). Both run until
 * SIGINT or SIGTERM, then finish cleanly: the API stops taking requests and lets the ones in
 * flight end, and running scans go back to the queue.
 */
export async function runServe(
  options: ServiceCommandOptions & { readonly workers?: string; readonly listen?: string },
  role: 'serve' | 'worker',
): Promise<number> {
  if (role === 'worker' && !process.env['DATABASE_URL']) {
    process.stderr.write('drydock worker: set DATABASE_URL to the PostgreSQL server the service uses\n');
    return 2;
  }
  const listenText = options.listen ?? process.env['DRYDOCK_LISTEN'] ?? defaultListen;
  const listen = parseListen(listenText);
  if (role === 'serve' && !listen) {
    process.stderr.write(`drydock serve: --listen wants host:port, not ${listenText}\n`);
    return 2;
  }
  const workers = options.workers
    ? Number(options.workers)
    : Math.max(1, Math.floor(availableParallelism() / 2));
  const service = await openService(options, { workers, tickMs: 1000 });
  let api: ApiServer | undefined;
  try {
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
    process.stdout.write(
      `drydock ${role}: running with ${workers} scan workers on ${service.store.kind === 'pglite' ? `the embedded database in ${options.dataDir ?? defaultDataDir()}` : 'PostgreSQL'}; project ${project.name}${api ? `; console at ${api.url}/, API at ${api.url}/api/v1 (documentation at ${api.url}/api/v1/docs)` : ''}\n`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    process.stdout.write(`drydock ${role}: stopping\n`);
  } finally {
    await api?.close();
    await service.close();
  }
  return 0;
}
