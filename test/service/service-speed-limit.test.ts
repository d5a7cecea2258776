import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManualClock } from '@drydock/server';
import { CountingProxy } from '../harness/counting-proxy.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { startTestService, waitUntil, type TestService, connectRegistry } from '../harness/service.ts';
import { pushManyImages } from './many-tags.ts';

let registry: TestRegistry;
let proxy: CountingProxy;
let env: TestService;
const clock = new ManualClock('2026-05-04T10:00:00Z');

before(async () => {
  registry = await startRegistry();
  await pushManyImages(registry, 'limited/app', 70);
  proxy = await CountingProxy.start(registry.url);
  env = await startTestService({ clock });
  await connectRegistry(env, proxy.url, { name: 'limited', maxConcurrentPulls: 64 });
});
after(async () => {
  await env?.close();
  await proxy?.stop();
  await registry?.stop();
});

async function dispatchedRows(taskId: string): Promise<number> {
  const rows = await env.service.db
    .selectFrom('scanTaskImage')
    .select('status')
    .where('taskId', '=', taskId)
    .where('status', '!=', 'queued')
    .execute();
  return rows.length;
}

async function settled(taskId: string): Promise<boolean> {
  const busy = await env.service.db
    .selectFrom('scanTaskImage')
    .select('status')
    .where('taskId', '=', taskId)
    .where('status', 'in', ['dispatched', 'scanning'])
    .execute();
  return busy.length === 0;
}

test('60 images per hour: exactly 60 pulls start in the hour, then the next ones; a 429 pauses the registry until Retry-After', async () => {
  const { service, projectId } = env;
  const task = await service.tasks.start(
    projectId,
    { scope: { kind: 'all' }, riskTypes: ['secret'], speedLimit: 60, acceptFee: true },
    'tester',
  );
  assert.equal(task.counts.total, 70);
  const pullsBefore = proxy.pulls;
  // One simulated hour in 15-second steps, the workers scanning in real time between the steps.
  for (let step = 0; step < 240; step += 1) {
    await service.tick();
    clock.advance(15_000);
  }
  assert.equal(await dispatchedRows(task.id), 60);
  await waitUntil(() => settled(task.id));
  assert.equal((await service.tasks.get(projectId, task.id)).counts.succeeded, 60);
  const pullsInHour = proxy.pulls - pullsBefore;
  assert.ok(pullsInHour > 0);

  // The 61st image starts at the top of the next hour, not before.
  await service.tick();
  assert.equal(await dispatchedRows(task.id), 61);
  await waitUntil(() => settled(task.id));

  // The registry starts answering 429 with Retry-After: 600.
  proxy.tooManyRequests(1, 600);
  clock.advance(60_000);
  await service.tick();
  assert.equal(await dispatchedRows(task.id), 62);
  await waitUntil(
    async () => (await service.db.selectFrom('registryPause').selectAll().execute()).length === 1,
  );
  const pause = await service.db.selectFrom('registryPause').selectAll().executeTakeFirstOrThrow();
  assert.equal(pause.pausedUntil.getTime(), clock.now().getTime() + 600_000);
  await waitUntil(() => settled(task.id));
  const deferred = await service.db
    .selectFrom('scanTaskImage')
    .selectAll()
    .where('taskId', '=', task.id)
    .where('notBefore', 'is not', null)
    .execute();
  assert.equal(deferred.length, 1);
  assert.equal(deferred[0]?.status, 'queued');

  // Paused: no dispatch for this registry even though the token bucket would allow it.
  for (let step = 0; step < 9; step += 1) {
    clock.advance(60_000);
    await service.tick();
  }
  assert.equal(await dispatchedRows(task.id), 61);
  // After the pause the registry is used again and the task goes on.
  clock.advance(61_000);
  await service.tick();
  assert.equal(await dispatchedRows(task.id), 62);
  await waitUntil(() => settled(task.id));
  const after = await service.tasks.get(projectId, task.id);
  assert.equal(after.counts.succeeded, 62);
  assert.equal(after.counts.failed, 0);
  await service.tasks.stop(projectId, task.id);

  // What the metrics report: the pulls begun, the 429 met, and the rounds held back by the limit and the pause.
  const { activity } = service;
  assert.equal(
    activity.pulls.get('registry'),
    63,
    'every dispatched scan pulled once, the one met by 429 twice',
  );
  assert.equal(activity.rateLimitedAnswers, 1);
  assert.ok((activity.holds.get('speed_limit') ?? 0) > 0);
  assert.ok((activity.holds.get('registry_paused') ?? 0) >= 9);
});
