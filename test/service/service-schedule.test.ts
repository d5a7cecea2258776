import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManualClock } from '@drydock/server';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { startTestService, waitUntil, type TestService, connectRegistry } from '../harness/service.ts';
import { pushManyImages } from './many-tags.ts';

// 2026-03-01 23:00 in Asia/Shanghai (UTC+8).
const clock = new ManualClock('2026-03-01T15:00:00Z');
const day = 86_400_000;
let registry: TestRegistry;
let env: TestService;

before(async () => {
  registry = await startRegistry();
  await pushManyImages(registry, 'recent/app', 10, () =>
    new Date(clock.now().getTime() - 2 * day).toISOString(),
  );
  await pushManyImages(registry, 'old/app', 3, () =>
    new Date(clock.now().getTime() - 30 * day).toISOString(),
  );
  env = await startTestService({ clock, dailySyncAt: '01:00' });
  await env.service.projects.setTimeZone(env.projectId, 'Asia/Shanghai');
  await connectRegistry(env, registry.url, { name: 'hub' });
});
after(async () => {
  await env?.close();
  await registry?.stop();
});

async function scheduledTasks() {
  return env.service.tasks.list(env.projectId, { type: 'scheduled' });
}

async function settled(): Promise<boolean> {
  const busy = await env.service.db
    .selectFrom('scanTaskImage')
    .select('status')
    .where('status', 'in', ['dispatched', 'scanning'])
    .execute();
  return busy.length === 0;
}

/** Advances the clock in steps to `until`, ticking and letting the scans finish at each step. */
async function runUntil(until: string, stepMs = 30 * 60_000): Promise<void> {
  const end = new Date(until).getTime();
  while (clock.now().getTime() < end) {
    clock.advance(Math.min(stepMs, end - clock.now().getTime()));
    await env.service.tick();
    await waitUntil(settled);
  }
}

test('every 3 days in 00:00–07:00, recent images only, leftovers resume the next night', async () => {
  const { service, projectId } = env;
  await service.policies.set(projectId, {
    enabled: true,
    periodDays: 3,
    windowStart: '00:00',
    windowEnd: '07:00',
    riskTypes: ['secret'],
    speedLimit: 1,
    updatedWithinDays: 7,
  });
  await service.tick();
  assert.equal((await scheduledTasks()).length, 0, 'nothing before the window');

  // Into the window of 2 March (local): one run, of the 10 recently updated images only.
  await runUntil('2026-03-01T16:30:00Z');
  let [task] = await scheduledTasks();
  assert.ok(task);
  assert.equal(task.counts.total, 10);
  const names = (await service.tasks.images(task.id)).map((image) => image.repository);
  assert.ok(names.every((name) => name === 'recent/app'));

  // One image an hour until the window closes at 07:00 local (23:00 UTC): 7 scanned, 3 wait.
  await runUntil('2026-03-02T01:00:00Z');
  task = await service.tasks.get(projectId, task.id);
  assert.equal(task.counts.succeeded, 7);
  assert.equal(task.counts.queued, 3);
  assert.equal(task.status, 'running');

  // Nothing moves during the day.
  await runUntil('2026-03-02T15:30:00Z', 2 * 3600_000);
  assert.equal((await service.tasks.get(projectId, task.id)).counts.succeeded, 7);

  // The next night the leftovers go on, and the task ends; no second run starts.
  await runUntil('2026-03-02T19:30:00Z');
  task = await service.tasks.get(projectId, task.id);
  assert.equal(task.counts.succeeded, 10);
  assert.equal(task.status, 'finished');
  assert.equal((await scheduledTasks()).length, 1);

  // 4 March: still within the period. 5 March 00:00 local: the next run.
  await runUntil('2026-03-04T15:30:00Z', 3600_000);
  assert.equal((await scheduledTasks()).length, 1);
  await runUntil('2026-03-04T16:30:00Z');
  const runs = await scheduledTasks();
  assert.equal(runs.length, 2);
  const policy = await service.policies.get(projectId);
  assert.equal(policy?.lastRunAt?.toISOString(), '2026-03-04T16:00:00.000Z');
  // The daily sync ran once per local date at 01:00.
  const daily = await service.sync.list(projectId, { trigger: 'daily' });
  assert.deepEqual(
    daily.map((sync) => sync.startedAt.toISOString()).sort(),
    // 1 March (its first tick, 23:00), then 2, 3 and 4 March at the first tick from 01:00 Shanghai time.
    [
      '2026-03-01T15:00:00.000Z',
      '2026-03-01T17:00:00.000Z',
      '2026-03-02T17:00:00.000Z',
      '2026-03-03T17:30:00.000Z',
    ],
    'the daily sync ran once per local date, from 01:00 Shanghai time',
  );
  assert.equal((await service.sync.list(projectId, { trigger: 'manual' })).length, 1);
});
