import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeHarbor, defaultHarborPushTime } from '../harness/fake-harbor.ts';
import { FakeJfrog } from '../harness/fake-jfrog.ts';
import { buildTestImage, RegistryPusher } from '../harness/registry-push.ts';
import { defaultTestUser, startRegistry, type TestRegistry } from '../harness/registry.ts';
import { runTaskToEnd, startTestService, type TestService } from '../harness/service.ts';

/**
 * The service through Harbor's and Artifactory's APIs (fakes that follow their published schemas,
 * in front of a real registry): sync lists by project and repository key, scans pull through the
 * same host, wrong credentials give typed failures.
 */
let registry: TestRegistry;
let harbor: FakeHarbor;
let jfrog: FakeJfrog;
let env: TestService;
const basic = {
  kind: 'basic' as const,
  username: defaultTestUser.username,
  password: defaultTestUser.password,
};

before(async () => {
  registry = await startRegistry();
  const pusher = new RegistryPusher(registry);
  for (const [repository, tag] of [
    ['shop/web', '1.0'],
    ['shop/api', '2.1'],
    ['infra/proxy', 'stable'],
  ] as const) {
    await pusher.pushImage(
      repository,
      tag,
      await buildTestImage({ layers: [{ [`srv/${tag}`]: `${repository}\n` }] }),
    );
  }
  harbor = await FakeHarbor.start({ registry });
  jfrog = await FakeJfrog.start({
    registry,
    repositories: [
      { key: 'docker-shop', type: 'LOCAL', prefix: 'shop' },
      { key: 'docker-all', type: 'VIRTUAL', prefix: 'shop' },
    ],
  });
  env = await startTestService();
});
after(async () => {
  await env?.close();
  await harbor?.stop();
  await jfrog?.stop();
  await registry?.stop();
});

test('Harbor: projects and artifacts synced with push times, scanned through Harbor, wrong password typed', async () => {
  const { service, projectId } = env;
  const connection = await service.connections.create(projectId, {
    name: 'harbor',
    type: 'harbor',
    url: harbor.url,
    credentials: basic,
  });
  assert.equal(
    (await service.connections.test(projectId, connection.id, AbortSignal.timeout(10_000))).ok,
    true,
  );
  const sync = await service.sync.sync(projectId, { trigger: 'manual', connectionIds: [connection.id] });
  assert.equal(sync.status, 'finished', JSON.stringify(sync.errors));
  const images = (await service.images(projectId, { connectionIds: [connection.id] })).images;
  assert.deepEqual(images.map((image) => `${image.namespace}|${image.repository}:${image.tag}`).sort(), [
    'infra|infra/proxy:stable',
    'shop|shop/api:2.1',
    'shop|shop/web:1.0',
  ]);
  assert.ok(images.every((image) => image.pushedAt?.toISOString() === defaultHarborPushTime));
  const task = await service.tasks.start(
    projectId,
    {
      scope: { kind: 'registry_types', types: ['harbor'] },
      riskTypes: ['secret', 'malware'],
      acceptFee: true,
    },
    'tester',
  );
  const final = await runTaskToEnd(service, projectId, task.id);
  assert.equal(
    final.counts.succeeded,
    3,
    JSON.stringify(await service.tasks.images(task.id, { failedOnly: true })),
  );

  const wrong = await service.connections.create(projectId, {
    name: 'harbor-wrong',
    type: 'harbor',
    url: harbor.url,
    credentials: { ...basic, password: 'nope' },
  });
  const tested = await service.connections.test(projectId, wrong.id, AbortSignal.timeout(10_000));
  assert.deepEqual(tested.ok ? 'ok' : tested.code, 'authentication_failed');
  const failed = await service.sync.sync(projectId, { trigger: 'manual', connectionIds: [wrong.id] });
  assert.equal(failed.status, 'failed');
  assert.equal(failed.errors[0]?.code, 'authentication_failed');
});

test('Artifactory: Docker repositories (local, and virtual when named) synced by repository key and scanned', async () => {
  const { service, projectId } = env;
  const connection = await service.connections.create(projectId, {
    name: 'jfrog',
    type: 'jfrog',
    url: jfrog.url,
    credentials: basic,
  });
  assert.equal(
    (await service.connections.test(projectId, connection.id, AbortSignal.timeout(10_000))).ok,
    true,
  );
  const sync = await service.sync.sync(projectId, { trigger: 'manual', connectionIds: [connection.id] });
  assert.equal(sync.status, 'finished', JSON.stringify(sync.errors));
  const images = (await service.images(projectId, { connectionIds: [connection.id] })).images;
  // Virtual repositories repeat what they aggregate: listed only when named.
  assert.deepEqual(images.map((image) => `${image.namespace}|${image.repository}:${image.tag}`).sort(), [
    'docker-shop|api:2.1',
    'docker-shop|web:1.0',
  ]);
  await service.connections.update(projectId, connection.id, { namespaces: ['docker-shop', 'docker-all'] });
  const again = await service.sync.sync(projectId, { trigger: 'manual', connectionIds: [connection.id] });
  assert.deepEqual(again.counts, { added: 2, changed: 0, deleted: 0, unchanged: 2, skipped: 0 });
  const task = await service.tasks.start(
    projectId,
    { scope: { kind: 'registries', connectionIds: [connection.id] }, riskTypes: ['secret'], acceptFee: true },
    'tester',
  );
  const final = await runTaskToEnd(service, projectId, task.id);
  assert.equal(
    final.counts.succeeded,
    4,
    JSON.stringify(await service.tasks.images(task.id, { failedOnly: true })),
  );
});
