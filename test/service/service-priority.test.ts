import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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
  await pushManyImages(registry, 'busy/app', 40);
  env = await startTestService({ workers: { manual: 1, scheduled: 1 } });
  await connectRegistry(env, registry.url, { maxConcurrentPulls: 2 });
});
after(async () => {
  await env?.close();
  await registry?.stop();
});

test('a manual scan of two images is not held up by a long scheduled scan of the same registry', async () => {
  const { service, projectId } = env;
  const scheduled = await service.tasks.create({
    projectId,
    type: 'scheduled',
    name: 'nightly',
    scope: { kind: 'all' },
    riskTypes: ['secret', 'malware'],
    speedLimit: 0,
    creator: 'scheduler',
    estimateId: null,
    window: null,
    policyRunKey: 'test-run',
  });
  assert.equal(scheduled.counts.total, 40);
  await tickUntil(
    service,
    async () => (await service.tasks.get(projectId, scheduled.id)).counts.succeeded >= 2,
  );
  const page = await service.images(projectId, { name: 'busy/app:t3' }, { limit: 10 });
  const two = page.images
    .filter((image) => ['t3', 't39'].includes(image.tag) || image.tag.startsWith('t3'))
    .slice(0, 2);
  const manual = await service.tasks.start(
    projectId,
    {
      scope: { kind: 'images', imageIds: two.map((image) => image.id) },
      riskTypes: ['secret'],
      acceptFee: true,
    },
    'tester',
  );
  const done = await runTaskToEnd(service, projectId, manual.id);
  assert.equal(done.counts.succeeded, 2);
  const nightly = await service.tasks.get(projectId, scheduled.id);
  assert.equal(nightly.status, 'running', 'the manual scan finished while the scheduled one still ran');
  assert.ok(nightly.counts.queued > 10, `scheduled images still queued: ${nightly.counts.queued}`);
  await service.tasks.stop(projectId, scheduled.id);
});
