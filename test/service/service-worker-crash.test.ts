import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DrydockService } from '@drydock/server';
import { CountingProxy } from '../harness/counting-proxy.ts';
import { startPostgres, type TestPostgres } from '../harness/postgres.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { runTaskToEnd, waitUntil } from '../harness/service.ts';
import { pushManyImages } from './many-tags.ts';

let postgres: TestPostgres;
let registry: TestRegistry;
let proxy: CountingProxy;
let stateDir: string;

before(async () => {
  [postgres, registry] = await Promise.all([startPostgres(), startRegistry()]);
  await pushManyImages(registry, 'worker/app', 1);
  proxy = await CountingProxy.start(registry.url);
  stateDir = await mkdtemp(join(tmpdir(), 'drydock-worker-crash-'));
});
after(async () => {
  await proxy?.stop();
  await postgres?.stop();
  await registry?.stop();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

const queue = {
  retryLimit: 1,
  retryDelaySeconds: 1,
  heartbeatSeconds: 10,
  expireInSeconds: 600,
  superviseIntervalSeconds: 1,
};

test('on PostgreSQL, a worker process killed mid-scan: its job is picked up again by another worker after the heartbeat timeout', async () => {
  const secretKey = randomBytes(32).toString('base64');
  const common = {
    store: { kind: 'postgres' as const, url: postgres.url },
    stateDir,
    secretKey,
    tickMs: 0,
    dailySyncAt: null,
    queue,
  };
  const api = await DrydockService.open({ ...common, workers: { manual: 0, scheduled: 0 } });
  let rescuer: DrydockService | undefined;
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./worker-child.ts', import.meta.url)), stateDir, secretKey],
    {
      env: { ...process.env, DATABASE_URL: postgres.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for await (const line of createInterface({ input: child.stdout })) if (line === 'worker ready') break;
    const project = await api.projects.ensureDefault();
    await api.connections.create(project.id, { name: 'local', type: 'registry', url: proxy.url });
    await api.sync.sync(project.id, { trigger: 'manual' });
    proxy.stallBlobs();
    const task = await api.tasks.start(
      project.id,
      { scope: { kind: 'all' }, riskTypes: ['secret'], acceptFee: true },
      'tester',
    );
    await api.tick();
    await waitUntil(async () => proxy.stalledRequests > 0, { timeoutMs: 30_000 });
    child.kill('SIGKILL');
    await exited;
    proxy.release();
    const [row] = await api.db.selectFrom('scanTaskImage').select(['status', 'attempts']).execute();
    assert.deepEqual([row?.status, row?.attempts], ['scanning', 1], 'the dead worker held the scan');

    rescuer = await DrydockService.open({ ...common, workers: { manual: 1, scheduled: 0 } });
    const final = await runTaskToEnd(api, project.id, task.id, 90_000);
    assert.equal(final.status, 'finished');
    assert.equal(final.counts.succeeded, 1);
    const billed = await api.db.selectFrom('billingEvent').select('key').execute();
    assert.equal(billed.length, 1, 'billed once');
    assert.equal((await api.db.selectFrom('scanResult').select('id').execute()).length, 1, 'stored once');
  } finally {
    child.kill('SIGKILL');
    await rescuer?.close();
    await api.close();
  }
});
