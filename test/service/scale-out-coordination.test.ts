import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DrydockService, ManualClock } from '@drydock/server';
import { CountingProxy } from '../harness/counting-proxy.ts';
import { startWorkerProcess, type DrydockProcess } from '../harness/drydock-processes.ts';
import { startPostgres, type TestPostgres } from '../harness/postgres.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { waitUntil } from '../harness/service.ts';
import { pushManyImages } from './many-tags.ts';

/** Several processes on one PostgreSQL: schedules fire once, and the speed limit holds across workers. */

let postgres: TestPostgres;
let registry: TestRegistry;
let work: string;

before(async () => {
  [postgres, registry] = await Promise.all([startPostgres(), startRegistry()]);
  await pushManyImages(registry, 'coord/app', 12);
  work = await mkdtemp(join(tmpdir(), 'drydock-coordination-'));
});
after(async () => {
  await postgres?.stop();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

interface ServeChild {
  readonly kill: () => Promise<void>;
}

/** test/service/serve-child.ts: the scheduler, daily sync and dispatcher on the file's clock. */
async function startServeChild(url: string, secretKey: string, clockFile: string): Promise<ServeChild> {
  const stateDir = await mkdtemp(join(work, 'serve-'));
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./serve-child.ts', import.meta.url)), stateDir, secretKey, clockFile],
    { env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for await (const line of createInterface({ input: child.stdout })) if (line === 'serve ready') break;
  return {
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

test('two serve processes: each scheduled run and daily sync happens once; with one killed, the other keeps the schedule', async () => {
  const url = await postgres.createDatabase('schedule');
  const secretKey = randomBytes(32).toString('base64');
  const clockFile = join(work, 'clock');
  const setClock = (iso: string) => writeFile(clockFile, String(Date.parse(iso)));
  await setClock('2026-06-01T00:30:00Z');
  const client = await DrydockService.open({
    store: { kind: 'postgres', url },
    stateDir: await mkdtemp(join(work, 'client-')),
    secretKey,
    tickMs: 0,
    dailySyncAt: null,
    workers: { manual: 0, scheduled: 0 },
  });
  const serves: ServeChild[] = [];
  try {
    const project = await client.projects.ensureDefault();
    await client.connections.create(project.id, { name: 'local', type: 'registry', url: registry.url });
    // Only images pushed in the last day: none (they were made in 2024), so each run ends at once
    // and the next day's run is not held back by a running one.
    await client.policies.set(project.id, {
      enabled: true,
      periodDays: 1,
      windowStart: '02:00',
      windowEnd: '06:00',
      riskTypes: ['secret'],
      speedLimit: 0,
      updatedWithinDays: 1,
    });
    serves.push(...(await Promise.all([0, 1].map(() => startServeChild(url, secretKey, clockFile)))));
    const scheduled = async () =>
      (await client.db.selectFrom('scanTask').select('name').where('type', '=', 'scheduled').execute())
        .length;
    const dailySyncs = async () =>
      (await client.db.selectFrom('syncTask').select('id').where('trigger', '=', 'daily').execute()).length;
    /** Moves the shared clock and lets both processes tick for a second (ten rounds each). */
    const dayAt = async (iso: string) => {
      await setClock(iso);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    };

    await dayAt('2026-06-01T03:00:00Z');
    await waitUntil(async () => (await scheduled()) >= 1 && (await dailySyncs()) >= 1, { timeoutMs: 20_000 });
    await dayAt('2026-06-01T04:00:00Z');
    assert.deepEqual(
      [await scheduled(), await dailySyncs()],
      [1, 1],
      'day 1: one run and one sync from two processes',
    );

    await dayAt('2026-06-02T03:00:00Z');
    await waitUntil(async () => (await scheduled()) >= 2 && (await dailySyncs()) >= 2, { timeoutMs: 20_000 });
    await dayAt('2026-06-02T05:00:00Z');
    assert.deepEqual([await scheduled(), await dailySyncs()], [2, 2], 'day 2: once each again');

    await serves[0]?.kill();
    await dayAt('2026-06-03T03:00:00Z');
    await waitUntil(async () => (await scheduled()) >= 3 && (await dailySyncs()) >= 3, { timeoutMs: 20_000 });
    await dayAt('2026-06-03T05:00:00Z');
    assert.deepEqual(
      [await scheduled(), await dailySyncs()],
      [3, 3],
      'day 3: the survivor runs the schedule',
    );
  } finally {
    for (const serve of serves) await serve.kill();
    await client.close();
  }
});

test('a speed limit of 4 images per hour holds across three worker processes: never more than 4 pulls in any hour', async () => {
  const url = await postgres.createDatabase('speed_limit');
  const secretKey = randomBytes(32).toString('base64');
  const proxy = await CountingProxy.start(registry.url);
  // The dispatching service, on an injected clock a little ahead of the workers' own.
  const clock = new ManualClock(new Date(Date.now() + 60_000).toISOString());
  const serve = await DrydockService.open({
    store: { kind: 'postgres', url },
    stateDir: await mkdtemp(join(work, 'limit-serve-')),
    secretKey,
    clock,
    tickMs: 0,
    dailySyncAt: null,
    workers: { manual: 0, scheduled: 0 },
  });
  const workers: DrydockProcess[] = [];
  try {
    workers.push(
      ...(await Promise.all(
        [0, 1, 2].map((index) =>
          startWorkerProcess({ databaseUrl: url, secretKey, dataDir: join(work, `limit-worker-${index}`) }),
        ),
      )),
    );
    const project = await serve.projects.ensureDefault();
    await serve.connections.create(project.id, {
      name: 'limited',
      type: 'registry',
      url: proxy.url,
      maxConcurrentPulls: 16,
    });
    await serve.sync.sync(project.id, { trigger: 'manual' });
    const task = await serve.tasks.start(
      project.id,
      { scope: { kind: 'all' }, riskTypes: ['secret'], speedLimit: 4, acceptFee: true },
      'tester',
    );
    assert.equal(task.counts.total, 12);
    const manifestPulls = () =>
      proxy.requests.filter((entry) => entry.method === 'GET' && entry.path.includes('/manifests/')).length;
    const settled = async () =>
      (
        await serve.db
          .selectFrom('scanTaskImage')
          .select('status')
          .where('status', 'in', ['dispatched', 'scanning'])
          .execute()
      ).length === 0;
    // Two simulated hours in 5-minute steps; the workers scan in real time between the steps.
    const pullsPerStep: number[] = [];
    for (let step = 0; step < 24; step += 1) {
      const before = manifestPulls();
      await serve.tick();
      await waitUntil(settled, { timeoutMs: 30_000 });
      pullsPerStep.push(manifestPulls() - before);
      clock.advance(5 * 60_000);
    }
    for (let start = 0; start + 12 <= pullsPerStep.length; start += 1) {
      const inHour = pullsPerStep.slice(start, start + 12).reduce((sum, n) => sum + n, 0);
      assert.ok(inHour <= 4, `${inHour} pulls in the hour from step ${start}: ${pullsPerStep.join(',')}`);
    }
    const done = await serve.db
      .selectFrom('scanTaskImage')
      .select('status')
      .where('status', '=', 'succeeded')
      .execute();
    assert.equal(done.length, 8, 'four an hour for two hours, not fewer');
    assert.equal(
      pullsPerStep.reduce((sum, n) => sum + n, 0),
      8,
      'one manifest pull per scan',
    );
  } finally {
    for (const worker of workers) await worker.stop();
    await serve.close();
    await proxy.stop();
  }
});
