import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DrydockService } from '@drydock/server';
import { startPostgres, type TestPostgres } from '../harness/postgres.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { runTaskToEnd } from '../harness/service.ts';
import { pushManyImages } from './many-tags.ts';

let postgres: TestPostgres;
let registry: TestRegistry;
let stateDir: string;

before(async () => {
  [postgres, registry] = await Promise.all([startPostgres(), startRegistry()]);
  await pushManyImages(registry, 'pg/app', 12);
  stateDir = await mkdtemp(join(tmpdir(), 'drydock-pg-state-'));
});
after(async () => {
  await postgres?.stop();
  await registry?.stop();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

test('on PostgreSQL, a service without workers and a separate worker process share the queue and the store', async () => {
  const secretKey = randomBytes(32).toString('base64');
  const common = { store: { kind: 'postgres' as const, url: postgres.url }, stateDir, secretKey, tickMs: 0 };
  const api = await DrydockService.open({ ...common, workers: { manual: 0, scheduled: 0 } });
  const worker = await DrydockService.open({ ...common, workers: { manual: 2, scheduled: 1 } });
  try {
    const project = await api.projects.ensureDefault();
    const connection = await api.connections.create(project.id, {
      name: 'local',
      type: 'registry',
      url: registry.url,
      credentials: { kind: 'basic', username: 'robot', password: 'not-needed' },
    });
    const stored = await api.db
      .selectFrom('registryConnection')
      .select('credentialsSealed')
      .executeTakeFirstOrThrow();
    assert.ok(
      stored.credentialsSealed && !stored.credentialsSealed.includes('not-needed'),
      'credentials are sealed at rest',
    );
    assert.equal(
      JSON.stringify(await api.connections.get(project.id, connection.id)).includes('not-needed'),
      false,
    );
    const sync = await api.sync.sync(project.id, { trigger: 'manual' });
    assert.equal(sync.counts.added, 12);
    const estimate = await api.tasks.estimate(project.id, { scope: { kind: 'all' } });
    assert.equal(estimate.units, 12);
    assert.equal(estimate.freeUnits, 10);
    const task = await api.tasks.start(
      project.id,
      {
        scope: { kind: 'all' },
        riskTypes: ['secret', 'malware', 'baseline', 'compliance'],
        estimateId: estimate.id,
      },
      'tester',
    );
    const final = await runTaskToEnd(api, project.id, task.id);
    assert.equal(final.status, 'finished');
    assert.equal(final.counts.succeeded, 12);
    const usage = await api.meter.usage(api.db, project.id, new Date().toISOString().slice(0, 7));
    assert.equal(usage.repositoryScans, 12);
    assert.equal(usage.freeUsed, 10);
    assert.equal(usage.amountMicros, estimate.amountMicros);
  } finally {
    await worker.close();
    await api.close();
  }
});
