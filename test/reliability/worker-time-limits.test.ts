import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FaultProxy } from '../harness/fault-proxy.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { connectRegistry, runTaskToEnd, startTestService, type TestService } from '../harness/service.ts';
import { pushManyImages } from '../service/many-tags.ts';

/**
 * The worker's `registryTimeouts` reach the pulls: against a registry that never answers, the
 * scan fails on the client's own headers timeout (`download_failed`), well inside a scan limit
 * that the engine's default 30 s timeout would have run into (`timed_out`).
 */
let registry: TestRegistry;
let proxy: FaultProxy;
let env: TestService;

before(async () => {
  registry = await startRegistry();
  await pushManyImages(registry, 'silent/app', 1);
  proxy = await FaultProxy.start(registry.url, { seed: 1, rates: {}, stallMs: 'forever' });
  env = await startTestService({
    // One attempt: the client's own four attempts at the manifest are what this test is about.
    queue: { retryLimit: 0, retryDelaySeconds: 1, heartbeatSeconds: 10, expireInSeconds: 600 },
    worker: { stopPollMs: 200, scanTimeoutMs: 20_000, registryTimeouts: { headersMs: 300, bodyIdleMs: 300 } },
  });
  await connectRegistry(env, proxy.url, { name: 'silent' });
});
after(async () => {
  await env?.close();
  await proxy?.stop();
  await registry?.stop();
});

test('a registry that holds every answer fails the scan on the configured headers timeout', async () => {
  proxy.setRates({ stall: 1 });
  const task = await env.service.tasks.start(
    env.projectId,
    { scope: { kind: 'all' }, riskTypes: ['secret'], acceptFee: true },
    'tester',
  );
  const final = await runTaskToEnd(env.service, env.projectId, task.id);
  assert.equal(final.counts.failed, 1);
  const [failed] = await env.service.tasks.images(task.id, { failedOnly: true });
  assert.equal(failed?.failureCode, 'download_failed', failed?.failureMessage ?? '');
  assert.match(failed?.failureMessage ?? '', /did not answer in time/);
  assert.ok(proxy.counts().stall >= 2, `stalls ${proxy.counts().stall}`);
  assert.equal(proxy.heldResponses, 0, 'every held answer was given up by the client');
});
