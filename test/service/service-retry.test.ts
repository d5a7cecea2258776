import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CountingProxy } from '../harness/counting-proxy.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { runTaskToEnd, startTestService, type TestService, connectRegistry } from '../harness/service.ts';
import { pushManyImages } from './many-tags.ts';

let registry: TestRegistry;
let proxy: CountingProxy;
let env: TestService;

before(async () => {
  registry = await startRegistry();
  await pushManyImages(registry, 'flaky/app', 1);
  proxy = await CountingProxy.start(registry.url);
  env = await startTestService();
  await connectRegistry(env, proxy.url, { name: 'flaky' });
});
after(async () => {
  await env?.close();
  await proxy?.stop();
  await registry?.stop();
});

test('a registry failing longer than the client retries: the job is retried with backoff, then succeeds and is billed once', async () => {
  const { service, projectId } = env;
  // More 503s than the registry client's own attempts (4), so the first job attempt fails.
  proxy.failBlobs(6);
  const task = await service.tasks.start(
    projectId,
    { scope: { kind: 'all' }, riskTypes: ['secret'], acceptFee: true },
    'tester',
  );
  const final = await runTaskToEnd(service, projectId, task.id);
  assert.equal(final.counts.succeeded, 1, JSON.stringify(await service.tasks.images(task.id)));
  const [row] = await service.db
    .selectFrom('scanTaskImage')
    .select(['attempts', 'status'])
    .where('taskId', '=', task.id)
    .execute();
  assert.ok((row?.attempts ?? 0) >= 2, `attempts ${row?.attempts}`);
  const billed = await service.db.selectFrom('billingEvent').select('key').execute();
  assert.equal(billed.length, 1);
});

test('a registry that keeps failing: the image fails download_failed after the retries, nothing billed', async () => {
  const { service, projectId } = env;
  proxy.failBlobs(1000);
  const task = await service.tasks.start(
    projectId,
    { scope: { kind: 'all' }, riskTypes: ['secret'], acceptFee: true },
    'tester',
  );
  const final = await runTaskToEnd(service, projectId, task.id);
  proxy.failBlobs(0);
  assert.equal(final.counts.failed, 1);
  const [failed] = await service.tasks.images(task.id, { failedOnly: true });
  assert.equal(failed?.failureCode, 'download_failed');
  const billed = await service.db
    .selectFrom('billingEvent')
    .select('key')
    .where('taskId', '=', task.id)
    .execute();
  assert.equal(billed.length, 0);
});
