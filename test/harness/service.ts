import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DrydockService, type Clock, type ServiceOptions } from '@drydock/server';

export interface TestService {
  readonly service: DrydockService;
  readonly projectId: string;
  readonly stateDir: string;
  close(): Promise<void>;
}

/**
 * A service on an in-memory PGlite (or `dataDir` for restart tests), with its own state directory
 * and key, ticking only when the test says so.
 */
export async function startTestService(
  options: Partial<Omit<ServiceOptions, 'store' | 'stateDir'>> & {
    readonly dataDir?: string;
    readonly clock?: Clock;
  } = {},
): Promise<TestService> {
  const stateDir = await mkdtemp(join(tmpdir(), 'drydock-service-'));
  const service = await DrydockService.open({
    store: options.dataDir ? { kind: 'pglite', dataDir: options.dataDir } : { kind: 'pglite' },
    stateDir,
    secretKey: randomBytes(32).toString('base64'),
    tickMs: 0,
    // The daily sync would run on the first tick of the day; tests that want it ask for it.
    dailySyncAt: null,
    workers: { manual: 2, scheduled: 1 },
    queue: { retryLimit: 1, retryDelaySeconds: 1, heartbeatSeconds: 10, expireInSeconds: 600 },
    worker: { stopPollMs: 200 },
    ...options,
  });
  const project = await service.projects.ensureDefault();
  return {
    service,
    projectId: project.id,
    stateDir,
    close: async () => {
      await service.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** Ticks the service until `done` holds (the workers run on their own); fails after `timeoutMs`. */
export async function tickUntil(
  service: DrydockService,
  done: () => Promise<boolean>,
  { timeoutMs = 60_000, everyMs = 100 }: { readonly timeoutMs?: number; readonly everyMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await service.tick();
    if (await done()) return;
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await delay(everyMs);
  }
}

/** Waits until a task leaves `running`/`stopping`, ticking the dispatcher meanwhile. */
export async function runTaskToEnd(
  service: DrydockService,
  projectId: string,
  taskId: string,
  timeoutMs = 120_000,
) {
  await tickUntil(
    service,
    async () => !['running', 'stopping'].includes((await service.tasks.get(projectId, taskId)).status),
    { timeoutMs },
  );
  return service.tasks.get(projectId, taskId);
}

/** Waits (without ticking) until `done` holds; fails after `timeoutMs`. */
export async function waitUntil(
  done: () => Promise<boolean>,
  { timeoutMs = 60_000, everyMs = 50 }: { readonly timeoutMs?: number; readonly everyMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await delay(everyMs);
  }
}

/** Connects a plain registry to the test service's project and syncs its image list; returns the connection id. */
export async function connectRegistry(
  env: TestService,
  url: string,
  extra: { readonly name?: string; readonly maxConcurrentPulls?: number } = {},
): Promise<string> {
  const connection = await env.service.connections.create(env.projectId, {
    name: extra.name ?? 'local',
    type: 'registry',
    url,
    ...(extra.maxConcurrentPulls ? { maxConcurrentPulls: extra.maxConcurrentPulls } : {}),
  });
  await env.service.sync.sync(env.projectId, { trigger: 'manual' });
  return connection.id;
}
