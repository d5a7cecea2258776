import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ServiceOptions } from '@drydock/server';
import { FaultProxy } from '../harness/fault-proxy.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { connectRegistry, runTaskToEnd, startTestService, type TestService } from '../harness/service.ts';
import { pushManyImages } from '../service/many-tags.ts';

/**
 * The worker's time limits against a registry that holds every answer (the fault proxy stalling
 * every read): its `registryTimeouts` reach the pulls, and its `scanTimeoutMs` ends a scan that
 * waits longer, `timed_out`. One job attempt each, so the limits are all a scan meets.
 */
let registry: TestRegistry;
let proxy: FaultProxy;
const services: TestService[] = [];

before(async () => {
  registry = await startRegistry();
  await pushManyImages(registry, 'silent/app', 1);
  proxy = await FaultProxy.start(registry.url, { seed: 1, rates: {}, stallMs: 'forever' });
});
after(async () => {
  for (const env of services) await env.close();
  await proxy?.stop();
  await registry?.stop();
});

async function scanThroughStalls(worker: ServiceOptions['worker']) {
  const env = await startTestService({
    queue: { retryLimit: 0, retryDelaySeconds: 1, heartbeatSeconds: 10, expireInSeconds: 600 },
    worker,
  });
  services.push(env);
  // The sync reads manifests too: the stalls start once the listing is done.
  proxy.setRates({});
  await connectRegistry(env, proxy.url, { name: 'silent' });
  proxy.setRates({ stall: 1 });
  const task = await env.service.tasks.start(
    env.projectId,
    { scope: { kind: 'all' }, riskTypes: ['secret'], acceptFee: true },
    'tester',
  );
  const final = await runTaskToEnd(env.service, env.projectId, task.id);
  assert.equal(final.counts.failed, 1);
  const [failed] = await env.service.tasks.images(task.id, { failedOnly: true });
  assert.ok(failed);
  return failed;
}

test('the registry timeouts of the worker settings end a silent read as a failed download', async () => {
  // Well inside a scan limit that the engine's default 30 s timeout would have run into.
  const failed = await scanThroughStalls({
    stopPollMs: 200,
    scanTimeoutMs: 20_000,
    registryTimeouts: { headersMs: 300, bodyIdleMs: 300 },
  });
  assert.equal(failed.failureCode, 'download_failed', failed.failureMessage ?? '');
  assert.match(failed.failureMessage ?? '', /did not answer in time/);
  await waitForNoHeldResponses();
});

test('the scan limit ends a scan that waits on the registry longer, timed_out', async () => {
  const failed = await scanThroughStalls({ stopPollMs: 200, scanTimeoutMs: 1500 });
  assert.equal(failed.failureCode, 'timed_out', failed.failureMessage ?? '');
  await waitForNoHeldResponses();
});

/** Every held answer was given up by the client (none left open by an aborted scan). */
async function waitForNoHeldResponses(): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (proxy.heldResponses > 0) {
    if (Date.now() > deadline) throw new Error(`${proxy.heldResponses} answers still held`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
