/**
 * The embedded service as `drydock serve` runs it by default, for the service benchmarks: PGlite in
 * a data directory, in-process scan workers (half the cores, at least one; `workers` overrides), the
 * dispatcher on a one-second timer, a freed pull slot filled at once, and a vulnerability database
 * file. Also the registry of images that share a base layer (bench/scale-out-images.ts), connected
 * and synced, and the wait for a scan task.
 */
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { DrydockService, riskTypes, type ScanTask } from '@drydock/server';
import { startRegistry, type TestRegistry } from '../test/harness/registry.ts';
import { alpineRecords, pushScaleOutImages, type PushedImages } from './scale-out-images.ts';

const run = promisify(execFile);
const cliEntry = join(import.meta.dirname, '..', 'packages', 'cli', 'src', 'main.ts');

/** `drydock serve`'s default number of in-process scan workers. */
export function serveWorkers(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

/** The Alpine records of ../shared/vulndata imported with the real CLI (`drydock db import`). */
export async function importAlpineDatabase(dir: string): Promise<string> {
  const path = join(dir, 'vulnerabilities.sqlite');
  await run(process.execPath, [
    '--import',
    'tsx',
    cliEntry,
    'db',
    'import',
    alpineRecords,
    '--db',
    path,
    '--no-progress',
  ]);
  return path;
}

export interface EmbeddedService {
  readonly service: DrydockService;
  readonly projectId: string;
  readonly workers: number;
  close(): Promise<void>;
}

export async function openEmbeddedService(
  dir: string,
  databasePath: string,
  workers = serveWorkers(),
): Promise<EmbeddedService> {
  const service = await DrydockService.open({
    store: { kind: 'pglite', dataDir: join(dir, 'data') },
    stateDir: dir,
    secretKey: randomBytes(32).toString('base64'),
    workers: { manual: workers, scheduled: workers > 1 ? Math.floor(workers / 2) : workers },
    tickMs: 1000,
    dispatchAfterScan: true,
    dailySyncAt: null,
    engines: { vulnerabilityDatabasePath: databasePath, malwareHashStorePath: null },
  });
  const project = await service.projects.ensureDefault();
  return { service, projectId: project.id, workers, close: () => service.close() };
}

export interface SharedBaseRegistry {
  readonly registry: TestRegistry;
  readonly pushed: PushedImages;
}

/** A real registry holding `count` images over `repositories` repositories that share one base layer. */
export async function sharedBaseRegistry(count: number, repositories = 8): Promise<SharedBaseRegistry> {
  const registry = await startRegistry();
  try {
    const pushed = await pushScaleOutImages(registry, count, repositories, {
      packages: 60,
      libraryBytes: 4 * 2 ** 20,
    });
    return { registry, pushed };
  } catch (error) {
    await registry.stop();
    throw error;
  }
}

/** Connects the registry to the project and syncs its images; returns the connection id. */
export async function connectAndSync(env: EmbeddedService, url: string, maxConcurrentPulls?: number) {
  const connection = await env.service.connections.create(env.projectId, {
    name: 'bench',
    type: 'registry',
    url,
    ...(maxConcurrentPulls ? { maxConcurrentPulls } : {}),
  });
  await env.service.sync.sync(env.projectId, { trigger: 'manual' });
  return connection.id;
}

/** Starts a manual task over every image with every risk type (the fee accepted). */
export function startFullScan(env: EmbeddedService, speedLimit?: number): Promise<ScanTask> {
  return env.service.tasks.start(
    env.projectId,
    {
      scope: { kind: 'all' },
      riskTypes: [...riskTypes],
      acceptFee: true,
      ...(speedLimit === undefined ? {} : { speedLimit }),
    },
    'bench',
  );
}

/** Waits for the task to leave running/stopping; the service's own timer dispatches. */
export async function waitForTask(
  env: EmbeddedService,
  taskId: string,
  timeoutMs: number,
): Promise<ScanTask> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await env.service.tasks.get(env.projectId, taskId);
    if (!['running', 'stopping'].includes(task.status)) return task;
    if (Date.now() > deadline) throw new Error(`task ${taskId} still ${task.status} after ${timeoutMs} ms`);
    // Seldom: reading the task counts its images, work the measured service would not do otherwise.
    await delay(1000);
  }
}
