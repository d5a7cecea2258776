import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { ManualClock } from '@drydock/server';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import {
  runTaskToEnd,
  startTestService,
  tickUntil,
  type TestService,
  connectRegistry,
} from '../harness/service.ts';
import { pushManyImages } from './many-tags.ts';

let registry: TestRegistry;
let env: TestService;

before(async () => {
  registry = await startRegistry();
  await pushManyImages(registry, 'fleet/app', 50);
  env = await startTestService();
  await connectRegistry(env, registry.url, { maxConcurrentPulls: 2 });
});
after(async () => {
  await env?.close();
  await registry?.stop();
});

test('a task of 50 images stopped midway ends stopped, the rest terminated, nothing left running, no billing for them', async () => {
  const { service, projectId } = env;
  const task = await service.tasks.start(
    projectId,
    { scope: { kind: 'all' }, riskTypes: ['secret', 'malware'], acceptFee: true },
    'tester',
  );
  assert.equal(task.counts.total, 50);
  await tickUntil(service, async () => (await service.tasks.get(projectId, task.id)).counts.succeeded >= 5);
  const stopping = await service.tasks.stop(projectId, task.id);
  assert.ok(['stopping', 'stopped'].includes(stopping.status));
  const final = await runTaskToEnd(service, projectId, task.id);
  assert.equal(final.status, 'stopped');
  assert.equal(final.counts.failed, 0);
  assert.equal(final.counts.succeeded + final.counts.terminated, 50);
  assert.ok(final.counts.terminated >= 40, `terminated ${final.counts.terminated}`);

  // Nothing runs or waits afterwards: no open task rows, no live job in the queue.
  const open = await service.db
    .selectFrom('scanTaskImage')
    .select('status')
    .where('status', 'in', ['queued', 'dispatched', 'scanning'])
    .execute();
  assert.equal(open.length, 0);
  const live = await sql<{
    n: number;
  }>`select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active')`.execute(
    service.db,
  );
  assert.equal(live.rows[0]?.n, 0);
  assert.equal(service.running.size, 0);

  const billed = await service.db.selectFrom('billingEvent').select('imageId').execute();
  assert.equal(billed.length, final.counts.succeeded);
  const terminated = new Set(
    (await service.tasks.images(task.id))
      .filter((image) => image.status === 'terminated')
      .map((image) => image.imageId),
  );
  assert.ok(billed.every((event) => !terminated.has(event.imageId ?? '')));
  const page = await service.images(projectId, { status: ['terminated'] }, { limit: 100 });
  assert.equal(page.total, final.counts.terminated);

  // Stopping again is harmless.
  assert.equal((await service.tasks.stop(projectId, task.id)).status, 'stopped');
});

test('a task still running at its deadline ends timed_out: its queued images terminated and unbilled, later rounds leave it alone', async () => {
  const clock = new ManualClock('2026-05-04T10:00:00Z');
  const late = await startTestService({ clock, taskDeadlineMs: 3_600_000 });
  try {
    const { service, projectId } = late;
    await connectRegistry(late, registry.url, { name: 'deadline' });
    // 30 images per hour: the hour's deadline comes long before the 50th image may start.
    const task = await service.tasks.start(
      projectId,
      { scope: { kind: 'all' }, riskTypes: ['secret'], speedLimit: 30, acceptFee: true },
      'tester',
    );
    assert.equal(task.deadlineAt?.toISOString(), '2026-05-04T11:00:00.000Z');
    await tickUntil(service, async () => (await service.tasks.get(projectId, task.id)).counts.succeeded >= 1);
    assert.equal((await service.tasks.get(projectId, task.id)).status, 'running');

    clock.advance(3_600_000);
    const final = await runTaskToEnd(service, projectId, task.id);
    assert.equal(final.status, 'timed_out');
    assert.ok(final.finishedAt);
    assert.equal(final.counts.queued + final.counts.running, 0);
    assert.ok(final.counts.terminated > 0, 'images still queued at the deadline were terminated');
    assert.equal(final.counts.succeeded + final.counts.failed + final.counts.terminated, 50);
    const billed = await service.db.selectFrom('billingEvent').select('imageId').execute();
    assert.equal(billed.length, final.counts.succeeded);

    // A user's stop afterwards does not rewrite why it ended.
    assert.equal((await service.tasks.stop(projectId, task.id)).status, 'timed_out');
    await service.tick();
    assert.equal((await service.tasks.get(projectId, task.id)).status, 'timed_out');
  } finally {
    await late.close();
  }
});
