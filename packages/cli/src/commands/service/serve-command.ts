import { availableParallelism } from 'node:os';
import { openService, projectOf, defaultDataDir, type ServiceCommandOptions } from './service-context.ts';

/**
 * `drydock serve` (the service with in-process workers, on the embedded database by default) and
 * `drydock worker` (workers only, against a shared PostgreSQL). Both run until SIGINT or SIGTERM,
 * then finish cleanly: running scans go back to the queue.
 */
export async function runServe(
  options: ServiceCommandOptions & { readonly workers?: string },
  role: 'serve' | 'worker',
): Promise<number> {
  if (role === 'worker' && !process.env['DATABASE_URL']) {
    process.stderr.write('drydock worker: set DATABASE_URL to the PostgreSQL server the service uses\n');
    return 2;
  }
  const workers = options.workers
    ? Number(options.workers)
    : Math.max(1, Math.floor(availableParallelism() / 2));
  const service = await openService(options, { workers, tickMs: 1000 });
  const project = await projectOf(service, options);
  process.stdout.write(
    `drydock ${role}: running with ${workers} scan workers on ${service.store.kind === 'pglite' ? `the embedded database in ${options.dataDir ?? defaultDataDir()}` : 'PostgreSQL'}; project ${project.name}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write(`drydock ${role}: stopping\n`);
  await service.close();
  return 0;
}
