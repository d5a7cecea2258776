import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { defaultPriceList, ManualClock, type DrydockService } from '@drydock/server';
import { Meter } from '../../packages/server/src/metering/meter.ts';
import { ScanTaskService } from '../../packages/server/src/tasks/scan-task-service.ts';
import { RunningScans } from '../../packages/server/src/worker/running-scans.ts';
import { CountingProxy } from '../harness/counting-proxy.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import {
  runTaskToEnd,
  startTestService,
  tickUntil,
  waitUntil,
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

/** The ids of `fleet/app:<tag>` for each tag, as one connection lists them. */
async function imageIdsOf(
  service: DrydockService,
  connectionId: string,
  tags: readonly string[],
): Promise<string[]> {
  const rows = await service.db
    .selectFrom('repositoryImage')
    .select(['id', 'tag'])
    .where('connectionId', '=', connectionId)
    .where('tag', 'in', tags)
    .execute();
  return tags.map((tag) => {
    const row = rows.find((entry) => entry.tag === tag);
    assert.ok(row, `fleet/app:${tag} is listed`);
    return row.id;
  });
}

/** The image's task rows of one task, by status. */
async function rowStatuses(service: DrydockService, taskId: string): Promise<Record<string, string>> {
  const rows = await service.db
    .selectFrom('scanTaskImage')
    .select(['imageId', 'status'])
    .where('taskId', '=', taskId)
    .execute();
  return Object.fromEntries(rows.map((row) => [row.imageId, row.status]));
}

async function scanStatusOf(service: DrydockService, imageId: string): Promise<string | undefined> {
  const row = await service.db
    .selectFrom('repositoryImage')
    .select('scanStatus')
    .where('id', '=', imageId)
    .executeTakeFirst();
  return row?.scanStatus;
}

async function billedImages(service: DrydockService, taskIds: readonly string[]): Promise<string[]> {
  const rows = await service.db
    .selectFrom('billingEvent')
    .select('imageId')
    .where('taskId', 'in', taskIds)
    .execute();
  return rows.map((row) => row.imageId ?? '');
}

test('stopping one image ends its queued scans in every task at once; the tasks go on with their other images, and it is not billed', async () => {
  const { service, projectId } = env;
  const [connection] = await service.connections.list(projectId);
  assert.ok(connection);
  const [stopped, kept] = await imageIdsOf(service, connection.id, ['t1', 't2']);
  assert.ok(stopped && kept);
  const request = (imageIds: string[]) => ({
    scope: { kind: 'images' as const, imageIds },
    riskTypes: ['secret' as const],
    acceptFee: true,
  });
  const alone = await service.tasks.start(projectId, request([stopped]), 'tester');
  const shared = await service.tasks.start(projectId, request([stopped, kept]), 'tester');
  // Not ticked yet: nothing was dispatched, both of its scans wait.

  const stop = await service.tasks.stopImage(projectId, stopped);
  assert.equal(stop.stopped, 2);
  assert.deepEqual([...stop.taskIds].sort(), [alone.id, shared.id].sort());
  // The task with nothing else to do has ended: it ran to its end, it was not stopped.
  const ended = await service.tasks.get(projectId, alone.id);
  assert.equal(ended.status, 'finished');
  assert.deepEqual([ended.counts.terminated, ended.counts.queued], [1, 0]);
  const going = await service.tasks.get(projectId, shared.id);
  assert.equal(going.status, 'running');
  assert.deepEqual([going.counts.terminated, going.counts.queued], [1, 1]);
  assert.deepEqual(await rowStatuses(service, shared.id), { [stopped]: 'terminated', [kept]: 'queued' });
  assert.equal(await scanStatusOf(service, stopped), 'terminated');
  assert.equal(await scanStatusOf(service, kept), 'queued');

  // Nothing of it is left to stop; an image of no project is not found.
  await assert.rejects(service.tasks.stopImage(projectId, stopped), { code: 'conflict' });
  await assert.rejects(service.tasks.stopImage(projectId, 'no-such-image'), { code: 'not_found' });

  const final = await runTaskToEnd(service, projectId, shared.id);
  assert.equal(final.status, 'finished');
  assert.deepEqual([final.counts.succeeded, final.counts.terminated], [1, 1]);
  assert.deepEqual(await rowStatuses(service, shared.id), { [stopped]: 'terminated', [kept]: 'succeeded' });
  assert.equal(await scanStatusOf(service, stopped), 'terminated');
  assert.deepEqual(await billedImages(service, [alone.id, shared.id]), [kept]);
});

test("a stop from another process reaches a running scan through the worker's poll of its own row", async () => {
  const { service, projectId } = env;
  const proxy = await CountingProxy.start(registry.url);
  try {
    const connectionId = await connectRegistry(env, proxy.url, { name: 'remote', maxConcurrentPulls: 2 });
    const [stopped, kept] = await imageIdsOf(service, connectionId, ['t5', 't6']);
    assert.ok(stopped && kept);
    proxy.stallBlobs();
    const task = await service.tasks.start(
      projectId,
      { scope: { kind: 'images', imageIds: [stopped, kept] }, riskTypes: ['secret'], acceptFee: true },
      'tester',
    );
    await tickUntil(service, async () => proxy.stalledRequests >= 2 && service.running.size === 2);

    // Another process's task service: the same store and queue, but none of this process's scans.
    const elsewhere = new ScanTaskService(
      service.db,
      new Meter(defaultPriceList),
      service.queue,
      new RunningScans(),
      service.clock,
    );
    const stop = await elsewhere.stopImage(projectId, stopped);
    assert.deepEqual(stop, { stopped: 1, taskIds: [task.id] });
    // The task still runs (its other scan hangs), so only the row's own status ends this scan.
    await waitUntil(async () => service.running.size === 1);
    assert.equal((await service.tasks.get(projectId, task.id)).status, 'running');

    proxy.release();
    const final = await runTaskToEnd(service, projectId, task.id);
    assert.equal(final.status, 'finished');
    assert.deepEqual([final.counts.succeeded, final.counts.terminated, final.counts.failed], [1, 1, 0]);
    assert.deepEqual(await rowStatuses(service, task.id), { [stopped]: 'terminated', [kept]: 'succeeded' });
    assert.equal(await scanStatusOf(service, stopped), 'terminated');
    assert.deepEqual(await billedImages(service, [task.id]), [kept]);
  } finally {
    proxy.release();
    await proxy.stop();
  }
});
