import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CountingProxy } from '../harness/counting-proxy.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { connectRegistry, runTaskToEnd, tickUntil, waitUntil } from '../harness/service.ts';
import { pushManyImages } from '../service/many-tags.ts';
import { json, startTestApi, type TestApi } from './api-harness.ts';

/**
 * `POST /projects/{projectId}/images/{imageId}/stop` over a real service and registry: a running
 * scan (held by a stalled registry) and a queued one of the same image stop in both of their tasks,
 * the tasks go on, the reply is the image as the list shows it, the stop is audited; viewers are
 * refused, a role with `containers:set` only is not; 409 when nothing is left, 404 for another
 * project's image. The worker's stop poll is an hour apart: only the abort in this process can end
 * the running scan here (test/service/service-stop.test.ts covers the poll).
 */

let registry: TestRegistry;
let proxy: CountingProxy;
let api: TestApi;
let connectionId: string;

before(async () => {
  registry = await startRegistry();
  await pushManyImages(registry, 'stop/app', 2);
  proxy = await CountingProxy.start(registry.url);
  api = await startTestApi({ service: { worker: { stopPollMs: 3_600_000 } } });
  connectionId = await connectRegistry(api.env, proxy.url, { maxConcurrentPulls: 2 });
});
after(async () => {
  proxy?.release();
  await api?.close();
  await proxy?.stop();
  await registry?.stop();
});

async function imageIdOf(tag: string): Promise<string> {
  const row = await api.env.service.db
    .selectFrom('repositoryImage')
    .select('id')
    .where('connectionId', '=', connectionId)
    .where('tag', '=', tag)
    .executeTakeFirstOrThrow();
  return row.id;
}

const stopUrl = (projectId: string, imageId: string) =>
  `/api/v1/projects/${projectId}/images/${imageId}/stop`;

test("an image's running and queued scans stop in every task; the tasks go on; the answer is the image as the list shows it", async () => {
  const { service } = api.env;
  const projectId = api.projectA;
  const [stopped, kept] = [await imageIdOf('t0'), await imageIdOf('t1')];
  proxy.stallBlobs();
  const both = await service.tasks.start(
    projectId,
    { scope: { kind: 'images', imageIds: [stopped, kept] }, riskTypes: ['secret'], acceptFee: true },
    'admin',
  );
  // Both scans run and hang on their first blob; the connection's two pull slots are taken.
  await tickUntil(service, async () => proxy.stalledRequests >= 2 && service.running.size === 2);
  // A second task of the same image waits in the queue behind them.
  const waiting = await service.tasks.start(
    projectId,
    { scope: { kind: 'images', imageIds: [stopped] }, riskTypes: ['secret'], acceptFee: true },
    'admin',
  );

  api.audits.length = 0;
  const refused = await api.call('viewer', { method: 'POST', url: stopUrl(projectId, stopped) });
  assert.equal(refused.statusCode, 403, refused.body);
  assert.equal(service.running.size, 2);
  assert.equal(api.audits.length, 0);

  // A role that may stop scans without starting them (containers:set) may stop this one.
  const answer = await api.call('containers', { method: 'POST', url: stopUrl(projectId, stopped) });
  assert.equal(answer.statusCode, 200, answer.body);
  const body = json(answer);
  assert.equal(body['stopped'], 2);
  assert.deepEqual([...(body['taskIds'] as string[])].sort(), [both.id, waiting.id].sort());
  const image = body['image'] as Record<string, unknown>;
  assert.equal(image['id'], stopped);
  assert.equal(image['repository'], 'stop/app');
  assert.equal(image['scanStatus'], 'terminated');
  const listed = json(
    await api.call('admin', { method: 'GET', url: `/api/v1/projects/${projectId}/images?status=terminated` }),
  );
  assert.deepEqual(
    (listed['images'] as { id: string }[]).map((entry) => entry.id),
    [stopped],
  );

  assert.equal(api.audits.length, 1);
  const [entry] = api.audits;
  assert.equal(entry?.actor.userName, 'containers');
  assert.deepEqual(
    { ...entry?.change, details: undefined },
    { projectId, action: 'image.stop', objectType: 'image', objectId: stopped, details: undefined },
  );
  assert.equal(entry?.change.details?.['stopped'], 2);

  // The running scan is aborted in this process (the poll would take an hour); the other goes on.
  await waitUntil(async () => service.running.size === 1);
  assert.equal((await service.tasks.get(projectId, both.id)).status, 'running');
  // The waiting task had nothing else: it has ended.
  const ended = await service.tasks.get(projectId, waiting.id);
  assert.deepEqual([ended.status, ended.counts.terminated], ['finished', 1]);

  // Nothing of the image is left to stop.
  const again = await api.call('admin', { method: 'POST', url: stopUrl(projectId, stopped) });
  assert.equal(again.statusCode, 409, again.body);
  assert.equal(json(again)['code'], 'conflict');

  proxy.release();
  const final = await runTaskToEnd(service, projectId, both.id);
  assert.equal(final.status, 'finished');
  assert.deepEqual([final.counts.succeeded, final.counts.terminated, final.counts.failed], [1, 1, 0]);
  const billed = await service.db.selectFrom('billingEvent').select('imageId').execute();
  assert.deepEqual(
    billed.map((row) => row.imageId),
    [kept],
  );
  const overview = json(
    await api.call('admin', { method: 'GET', url: `/api/v1/projects/${projectId}/images/${stopped}` }),
  );
  assert.equal((overview['image'] as Record<string, unknown>)['scanStatus'], 'terminated');
});

test("another project's image is not found through this project, even while it scans", async () => {
  const { service } = api.env;
  const theirs = await service.connections.create(api.projectB, {
    name: 'theirs',
    type: 'registry',
    url: registry.url,
  });
  await service.sync.sync(api.projectB, { trigger: 'manual' });
  const image = await service.db
    .selectFrom('repositoryImage')
    .select('id')
    .where('connectionId', '=', theirs.id)
    .where('tag', '=', 't0')
    .executeTakeFirstOrThrow();
  const task = await service.tasks.start(
    api.projectB,
    { scope: { kind: 'images', imageIds: [image.id] }, riskTypes: ['secret'], acceptFee: true },
    'outsider',
  );
  const mine = await api.call('admin', { method: 'POST', url: stopUrl(api.projectA, image.id) });
  assert.equal(mine.statusCode, 404, mine.body);
  assert.equal(json(mine)['code'], 'not_found');
  assert.equal((await service.tasks.get(api.projectB, task.id)).counts.queued, 1);
  // Through its own project it stops.
  const theirStop = await api.call('outsider', { method: 'POST', url: stopUrl(api.projectB, image.id) });
  assert.equal(theirStop.statusCode, 200, theirStop.body);
  assert.equal((await service.tasks.get(api.projectB, task.id)).status, 'finished');
});
