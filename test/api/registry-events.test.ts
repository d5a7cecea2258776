import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { riskTypes } from '../../packages/server/src/store/schema.ts';
import { sendHarborWebhook } from '../harness/fake-harbor-webhook.ts';
import { buildTestImage, RegistryPusher } from '../harness/registry-push.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { runTaskToEnd, waitUntil } from '../harness/service.ts';
import { json, startTestApi, type TestApi } from './api-harness.ts';

/**
 * Scan on push, end to end: the real distribution registry posts its notifications to the
 * service's receiver over HTTP (configured with the connection's secret as `Authorization`), and a
 * fake of Harbor's webhook sender posts Harbor's payload for a second connection.
 */

const eventsType = 'application/vnd.docker.distribution.events.v1+json';

let api: TestApi;
let baseUrl: string;
/** Notifies the service of every push. */
let notifying: TestRegistry;
/** Sends nothing: the fake Harbor sender speaks for it. */
let quiet: TestRegistry;
let notifyingId: string;
let quietId: string;
let notifyingToken: string;
let quietToken: string;

async function createToken(connectionId: string): Promise<string> {
  const response = await api.call('admin', {
    method: 'POST',
    url: `/api/v1/projects/${api.projectA}/registries/${connectionId}/event-token`,
  });
  assert.equal(response.statusCode, 201, response.body);
  const body = json(response);
  assert.equal(body.receiverPath, `/api/v1/registry-events/${connectionId}`);
  assert.match(String(body.token), /^ddr_/);
  return String(body.token);
}

async function addConnection(name: string, url: string): Promise<string> {
  return (await api.env.service.connections.create(api.projectA, { name, type: 'registry', url })).id;
}

/** Pushes a small image of its own content; answers its digest. */
async function pushImage(registry: TestRegistry, repository: string, tag: string): Promise<string> {
  const image = await buildTestImage({ layers: [{ [`srv/${tag}.txt`]: `${repository}:${tag}\n` }] });
  return new RegistryPusher(registry).pushImage(repository, tag, image);
}

async function liveImageId(connectionId: string, repository: string, tag: string) {
  const row = await api.env.service.db
    .selectFrom('repositoryImage')
    .select('id')
    .where('connectionId', '=', connectionId)
    .where('repository', '=', repository)
    .where('tag', '=', tag)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  return row?.id;
}

/** The push-started tasks holding the image. */
async function pushTasksOf(imageId: string) {
  const rows = await api.env.service.db
    .selectFrom('scanTaskImage')
    .innerJoin('scanTask', 'scanTask.id', 'scanTaskImage.taskId')
    .select(['scanTask.id', 'scanTask.creator', 'scanTask.type'])
    .where('scanTaskImage.imageId', '=', imageId)
    .where('scanTask.creator', '=', 'push')
    .execute();
  return rows;
}

function post(connectionId: string, payload: string, headers: Record<string, string>) {
  return api.call(undefined, {
    method: 'POST',
    url: `/api/v1/registry-events/${connectionId}`,
    headers: { 'content-type': eventsType, ...headers },
    payload,
  });
}

before(async () => {
  api = await startTestApi();
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  // The registry's configuration needs the receiver URL, and the connection the registry's URL.
  notifyingId = await addConnection('notifying', 'http://127.0.0.1:9');
  notifyingToken = await createToken(notifyingId);
  notifying = await startRegistry({
    notifications: {
      url: `${baseUrl}/api/v1/registry-events/${notifyingId}`,
      headers: { Authorization: `Bearer ${notifyingToken}` },
    },
  });
  await api.env.service.connections.update(api.projectA, notifyingId, { url: notifying.url });
  quiet = await startRegistry();
  quietId = await addConnection('quiet', quiet.url);
  quietToken = await createToken(quietId);
});

after(async () => {
  await notifying?.stop();
  await quiet?.stop();
  await api?.close();
});

describe('registry push notifications', () => {
  test('a push to the real registry syncs its connection; no scan while scanOnPush is off', async () => {
    const settings = await api.call('admin', {
      method: 'GET',
      url: `/api/v1/projects/${api.projectA}/scan-settings`,
    });
    assert.equal(json(settings).scanOnPush, false);
    await pushImage(notifying, 'app/off', 'v1');
    await waitUntil(async () => (await liveImageId(notifyingId, 'app/off', 'v1')) !== undefined, {
      timeoutMs: 20_000,
    });
    await api.env.service.registryEvents.idle();
    const syncs = await api.env.service.sync.list(api.projectA, { trigger: 'push' });
    assert.ok(syncs.length >= 1);
    assert.ok(syncs.every((sync) => sync.connectionIds.join() === notifyingId && sync.status === 'finished'));
    const imageId = await liveImageId(notifyingId, 'app/off', 'v1');
    assert.ok(imageId);
    assert.deepEqual(await pushTasksOf(imageId), []);
    const audited = api.audits.filter((entry) => entry.actor.userName === 'registry:notifying');
    assert.ok(audited.some((entry) => entry.change.action === 'sync_task.start'));
    assert.ok(!audited.some((entry) => entry.change.action === 'scan_task.start'));
  });

  test('with scanOnPush on, a push to the real registry starts a scan of the pushed image', async () => {
    const patched = await api.call('admin', {
      method: 'PATCH',
      url: `/api/v1/projects/${api.projectA}/scan-settings`,
      payload: { scanOnPush: true },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(json(patched).scanOnPush, true);
    const digest = await pushImage(notifying, 'app/on', 'v2');
    let imageId: string | undefined;
    await waitUntil(
      async () => {
        imageId = await liveImageId(notifyingId, 'app/on', 'v2');
        return imageId !== undefined && (await pushTasksOf(imageId)).length > 0;
      },
      { timeoutMs: 20_000 },
    );
    assert.ok(imageId);
    const [found] = await pushTasksOf(imageId);
    assert.ok(found);
    const task = await api.env.service.tasks.get(api.projectA, found.id);
    assert.equal(task.type, 'manual');
    assert.equal(task.creator, 'push');
    assert.deepEqual([...task.riskTypes].sort(), [...riskTypes].sort());
    assert.deepEqual(task.scope, { kind: 'images', imageIds: [imageId] });
    const ended = await runTaskToEnd(api.env.service, api.projectA, task.id, 25_000);
    assert.equal(ended.status, 'finished');
    const image = await api.env.service.db
      .selectFrom('repositoryImage')
      .select(['scanStatus', 'digest'])
      .where('id', '=', imageId)
      .executeTakeFirstOrThrow();
    assert.equal(image.digest, digest);
    assert.equal(image.scanStatus, 'succeeded');
    const audit = api.audits.find(
      (entry) => entry.change.action === 'scan_task.start' && entry.change.objectId === task.id,
    );
    assert.equal(audit?.actor.userName, 'registry:notifying');
    assert.equal(audit?.actor.userId, null);
  });

  test("Harbor's PUSH_ARTIFACT payload from the fake Harbor sender does the same", async () => {
    const digest = await pushImage(quiet, 'library/hello', 'v1');
    const endpoint = `${baseUrl}/api/v1/registry-events/${quietId}`;
    const sent = await sendHarborWebhook(endpoint, `Bearer ${quietToken}`, {
      type: 'PUSH_ARTIFACT',
      registryHost: quiet.host,
      repoFullName: 'library/hello',
      resources: [{ digest, tag: 'v1' }],
    });
    assert.equal(sent.status, 202, sent.body);
    assert.deepEqual(JSON.parse(sent.body), { format: 'harbor', accepted: 1, ignored: 0 });
    await api.env.service.registryEvents.idle();
    const imageId = await liveImageId(quietId, 'library/hello', 'v1');
    assert.ok(imageId, 'the sync put the pushed image in the inventory');
    assert.equal((await pushTasksOf(imageId)).length, 1);

    const pulled = await sendHarborWebhook(endpoint, `Bearer ${quietToken}`, {
      type: 'PULL_ARTIFACT',
      registryHost: quiet.host,
      repoFullName: 'library/hello',
      resources: [{ digest, tag: 'v1' }],
    });
    assert.equal(pulled.status, 202);
    assert.deepEqual(JSON.parse(pulled.body), { format: 'harbor', accepted: 0, ignored: 1 });
  });

  test('pull events and blob pushes are answered 202 and ignored', async () => {
    await api.env.service.registryEvents.idle();
    const before = (await api.env.service.sync.list(api.projectA, { trigger: 'push' })).length;
    const envelope = {
      events: [
        {
          id: 'e1',
          timestamp: new Date().toISOString(),
          action: 'pull',
          target: {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: `sha256:${'a'.repeat(64)}`,
            repository: 'library/hello',
            url: `${quiet.url}/v2/library/hello/manifests/sha256:${'a'.repeat(64)}`,
            tag: 'v1',
            size: 100,
          },
          request: { host: quiet.host },
        },
        {
          id: 'e2',
          timestamp: new Date().toISOString(),
          action: 'push',
          target: {
            mediaType: 'application/octet-stream',
            digest: `sha256:${'b'.repeat(64)}`,
            repository: 'library/hello',
            url: `${quiet.url}/v2/library/hello/blobs/sha256:${'b'.repeat(64)}`,
            size: 100,
          },
          request: { host: quiet.host },
        },
      ],
    };
    const response = await post(quietId, JSON.stringify(envelope), { authorization: `Bearer ${quietToken}` });
    assert.equal(response.statusCode, 202, response.body);
    assert.deepEqual(json(response), { format: 'distribution', accepted: 0, ignored: 2 });
    await api.env.service.registryEvents.idle();
    assert.equal((await api.env.service.sync.list(api.projectA, { trigger: 'push' })).length, before);
  });

  test('a missing or wrong secret and an unknown connection get the same 401; a new secret replaces the old', async () => {
    const body = JSON.stringify({ events: [] });
    const answers = [
      await post(quietId, body, {}),
      await post(quietId, body, { authorization: `Bearer ${quietToken}x` }),
      await post(quietId, body, { authorization: `Bearer ${notifyingToken}` }),
      await post(quietId, body, { authorization: quietToken }),
      await post('no-such-connection', body, { authorization: `Bearer ${quietToken}` }),
    ];
    for (const answer of answers) {
      assert.equal(answer.statusCode, 401, answer.body);
      assert.deepEqual(json(answer), json(answers[0] ?? answer));
    }
    const replaced = quietToken;
    quietToken = await createToken(quietId);
    assert.equal((await post(quietId, body, { authorization: `Bearer ${replaced}` })).statusCode, 401);
    assert.equal((await post(quietId, body, { authorization: `Bearer ${quietToken}` })).statusCode, 202);
    assert.ok(!api.bodies.some((text) => text.includes(replaced) && !text.includes('"token"')));
  });

  test('a malformed body is 400 (with the right secret)', async () => {
    const authorization = `Bearer ${quietToken}`;
    const notJson = await post(quietId, '{"events": [', { authorization });
    assert.equal(notJson.statusCode, 400, notJson.body);
    const neither = await post(quietId, JSON.stringify({ hello: 'world' }), { authorization });
    assert.equal(neither.statusCode, 400, neither.body);
    assert.equal(json(neither).code, 'invalid_request');
    const badEvents = await post(quietId, JSON.stringify({ events: 'none' }), { authorization });
    assert.equal(badEvents.statusCode, 400, badEvents.body);
  });

  test('the secret is managed with registries:set only, and deleting it refuses the registry', async () => {
    const url = `/api/v1/projects/${api.projectA}/registries/${quietId}/event-token`;
    assert.equal((await api.call('viewer', { method: 'POST', url })).statusCode, 403);
    assert.equal((await api.call('outsider', { method: 'POST', url })).statusCode, 404);
    assert.equal((await api.call('admin', { method: 'DELETE', url })).statusCode, 204);
    assert.equal((await api.call('admin', { method: 'DELETE', url })).statusCode, 404);
    const refused = await post(quietId, JSON.stringify({ events: [] }), {
      authorization: `Bearer ${quietToken}`,
    });
    assert.equal(refused.statusCode, 401);
  });
});
