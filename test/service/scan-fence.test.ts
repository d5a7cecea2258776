import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { CountingProxy } from '../harness/counting-proxy.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { connectRegistry, startTestService, waitUntil, type TestService } from '../harness/service.ts';
import { pushManyImages } from './many-tags.ts';

/**
 * A worker that lost its job to another delivery (it missed its heartbeats, so the queue retried
 * the job elsewhere and the other worker claimed the row's next attempt) must not store or bill
 * what it finds. The other worker's claim is made here by hand, as it would be written.
 */

let registry: TestRegistry;
let proxy: CountingProxy;
let env: TestService;

before(async () => {
  registry = await startRegistry();
  await pushManyImages(registry, 'fence/app', 1);
  proxy = await CountingProxy.start(registry.url);
  env = await startTestService();
  await connectRegistry(env, proxy.url);
});
after(async () => {
  await env?.close();
  await proxy?.stop();
  await registry?.stop();
});

test('a scan whose row was claimed by a later attempt is aborted and stores and bills nothing', async () => {
  const { service, projectId } = env;
  proxy.stallBlobs();
  await service.tasks.start(
    projectId,
    { scope: { kind: 'all' }, riskTypes: ['secret'], acceptFee: true },
    'tester',
  );
  await service.tick();
  await waitUntil(async () => proxy.stalledRequests > 0, { timeoutMs: 30_000 });
  const row = () =>
    service.db.selectFrom('scanTaskImage').select(['status', 'attempts', 'jobId']).executeTakeFirstOrThrow();
  const { jobId } = await row();
  assert.deepEqual(await row(), { status: 'scanning', attempts: 1, jobId });

  await sql`update scan_task_image set attempts = 2, started_at = now()`.execute(service.db);
  proxy.release();
  // The job's handler has returned once pg-boss marks it completed: whatever it wrote is written.
  await waitUntil(
    async () => {
      const job = await sql<{ state: string }>`select state from pgboss.job where id = ${jobId}`.execute(
        service.db,
      );
      return job.rows[0]?.state === 'completed';
    },
    { timeoutMs: 30_000 },
  );
  assert.deepEqual(await row(), { status: 'scanning', attempts: 2, jobId }, "the row is the later attempt's");
  assert.equal((await service.db.selectFrom('scanResult').select('id').execute()).length, 0);
  assert.equal((await service.db.selectFrom('billingEvent').select('key').execute()).length, 0);
});
