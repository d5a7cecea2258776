import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CountingProxy } from '../harness/counting-proxy.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { connectRegistry, runTaskToEnd, waitUntil } from '../harness/service.ts';
import { pushManyImages } from '../service/many-tags.ts';
import { assertSigned, WebhookReceiver } from '../harness/webhook-receiver.ts';
import { json, startTestApi, type TestApi } from './api-harness.ts';

let api: TestApi;
let receiver: WebhookReceiver;
let registry: TestRegistry;
let proxy: CountingProxy;

before(async () => {
  receiver = await WebhookReceiver.start();
  registry = await startRegistry();
  await pushManyImages(registry, 'hooked/app', 1);
  proxy = await CountingProxy.start(registry.url);
  api = await startTestApi({ service: { webhooks: { firstRetryDelayMs: 300, timeoutMs: 5000 } } });
});
after(async () => {
  await api?.close();
  await proxy?.stop();
  await registry?.stop();
  await receiver?.stop();
});

async function createWebhook(events: readonly string[], secret?: string) {
  const response = await api.call('admin', {
    method: 'POST',
    url: `/api/v1/projects/${api.projectA}/webhooks`,
    payload: { url: receiver.url, events, ...(secret ? { secret } : {}) },
  });
  assert.equal(response.statusCode, 201, response.body);
  return json(response) as { id: string; secret: string };
}

async function deliveriesOf(webhookId: string) {
  const response = await api.call('viewer', {
    method: 'GET',
    url: `/api/v1/projects/${api.projectA}/webhooks/${webhookId}/deliveries?limit=50`,
  });
  assert.equal(response.statusCode, 200, response.body);
  return json(response) as {
    items: {
      id: string;
      event: string;
      status: string;
      attempts: {
        attempt: number;
        succeeded: boolean;
        responseCode: number | null;
        nextAttemptAt: string | null;
      }[];
    }[];
    total: number;
  };
}

describe('project webhooks', () => {
  test('management: admins create (the secret shown once), viewers list without secrets, bad URLs refused', async () => {
    const created = await createWebhook(['ping']);
    assert.match(created.secret, /^whsec_/);
    const listed = await api.call('viewer', {
      method: 'GET',
      url: `/api/v1/projects/${api.projectA}/webhooks`,
    });
    assert.equal(listed.statusCode, 200);
    assert.ok(!listed.body.includes(created.secret));
    assert.ok(!listed.body.includes('secret'));
    const got = await api.call('viewer', {
      method: 'GET',
      url: `/api/v1/projects/${api.projectA}/webhooks/${created.id}`,
    });
    assert.ok(!got.body.includes(created.secret));
    const byViewer = await api.call('viewer', {
      method: 'POST',
      url: `/api/v1/projects/${api.projectA}/webhooks`,
      payload: { url: receiver.url, events: ['ping'] },
    });
    assert.equal(byViewer.statusCode, 403);
    for (const url of ['http://user:pw@127.0.0.1/x', 'ftp://127.0.0.1/x', 'not a url']) {
      const refused = await api.call('admin', {
        method: 'POST',
        url: `/api/v1/projects/${api.projectA}/webhooks`,
        payload: { url, events: ['ping'] },
      });
      assert.equal(refused.statusCode, 400, url);
    }
    const outsider = await api.call('outsider', {
      method: 'GET',
      url: `/api/v1/projects/${api.projectA}/webhooks/${created.id}`,
    });
    assert.equal(outsider.statusCode, 404);
    const patched = await api.call('admin', {
      method: 'PATCH',
      url: `/api/v1/projects/${api.projectA}/webhooks/${created.id}`,
      payload: { enabled: false, secret: 'another-secret-of-enough-length' },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(json(patched).enabled, false);
    assert.ok(!patched.body.includes('another-secret'));
    const audit = api.audits.map((entry) => JSON.stringify(entry.change)).join('\n');
    assert.ok(!audit.includes(created.secret) && !audit.includes('another-secret'));
    const deleted = await api.call('admin', {
      method: 'DELETE',
      url: `/api/v1/projects/${api.projectA}/webhooks/${created.id}`,
    });
    assert.equal(deleted.statusCode, 204);
  });

  test('a ping is delivered signed with the given secret', async () => {
    const secret = 'a-given-secret-0123456789';
    const hook = await createWebhook(['task.finished'], secret);
    const pinged = await api.call('admin', {
      method: 'POST',
      url: `/api/v1/projects/${api.projectA}/webhooks/${hook.id}/ping`,
    });
    assert.equal(pinged.statusCode, 202, pinged.body);
    const deliveryId = String(json(pinged).id);
    await waitUntil(async () =>
      receiver.received.some((entry) => entry.headers['x-drydock-delivery'] === deliveryId),
    );
    const entry = receiver.received.find((item) => item.headers['x-drydock-delivery'] === deliveryId);
    assert.ok(entry);
    const body = assertSigned(entry, secret);
    assert.equal(body.event, 'ping');
    assert.deepEqual(body.project, {
      id: api.projectA,
      name: (await api.env.service.projects.get(api.projectA)).name,
    });
    await waitUntil(async () => (await deliveriesOf(hook.id)).items[0]?.status === 'succeeded'); // Only the next test's webhook asks for scan events from here on.
    const deleted = await api.call('admin', {
      method: 'DELETE',
      url: `/api/v1/projects/${api.projectA}/webhooks/${hook.id}`,
    });
    assert.equal(deleted.statusCode, 204);
  });

  test('a receiver answering 500 twice gets the delivery a third time; the log shows three attempts', async () => {
    const hook = await createWebhook(['ping']);
    receiver.statuses = [500, 500, 200];
    const pinged = await api.call('admin', {
      method: 'POST',
      url: `/api/v1/projects/${api.projectA}/webhooks/${hook.id}/ping`,
    });
    const deliveryId = String(json(pinged).id);
    await waitUntil(async () => (await deliveriesOf(hook.id)).items[0]?.status === 'succeeded', {
      timeoutMs: 30_000,
    });
    const [delivery] = (await deliveriesOf(hook.id)).items;
    assert.equal(delivery?.id, deliveryId);
    assert.deepEqual(
      delivery.attempts.map((attempt) => [attempt.attempt, attempt.succeeded, attempt.responseCode]),
      [
        [1, false, 500],
        [2, false, 500],
        [3, true, 200],
      ],
    );
    assert.ok(delivery.attempts[0]?.nextAttemptAt && delivery.attempts[1]?.nextAttemptAt);
    assert.equal(delivery.attempts[2]?.nextAttemptAt, null);
    const sent = receiver.received.filter((entry) => entry.headers['x-drydock-delivery'] === deliveryId);
    assert.equal(sent.length, 3);
    for (const entry of sent) assertSigned(entry, hook.secret);
    // A redelivery sends the same body again as a new round.
    const again = await api.call('admin', {
      method: 'POST',
      url: `/api/v1/projects/${api.projectA}/webhooks/${hook.id}/deliveries/${deliveryId}/redeliver`,
    });
    assert.equal(again.statusCode, 202, again.body);
    await waitUntil(
      async () =>
        receiver.received.filter((entry) => entry.headers['x-drydock-delivery'] === deliveryId).length === 4,
    );
    const resent = receiver.received.filter((entry) => entry.headers['x-drydock-delivery'] === deliveryId);
    assert.equal(resent[3]?.body, resent[0]?.body);
  });

  test('a real scan sends task.finished; a scan that fails sends scan.failed', async () => {
    const hook = await createWebhook(['task.finished', 'scan.failed']);
    const { service, projectId } = api.env;
    await connectRegistry(api.env, proxy.url, { name: 'hooked' });
    const task = await service.tasks.start(
      projectId,
      { scope: { kind: 'all' }, riskTypes: ['secret'], acceptFee: true },
      'tester',
    );
    const final = await runTaskToEnd(service, projectId, task.id);
    assert.equal(final.status, 'finished');
    await waitUntil(async () => {
      await service.tick();
      return receiver.of('task.finished').length > 0;
    });
    const [finished] = receiver.of('task.finished');
    assert.ok(finished);
    const body = assertSigned(finished, hook.secret);
    const data = body.data as { task: { id: string; status: string }; images: Record<string, number> };
    assert.equal(data.task.id, task.id);
    assert.equal(data.task.status, 'finished');
    assert.equal(data.images.succeeded, 1);

    proxy.failBlobs(1000);
    const failing = await service.tasks.start(
      projectId,
      { scope: { kind: 'all' }, riskTypes: ['secret'], acceptFee: true },
      'tester',
    );
    const ended = await runTaskToEnd(service, projectId, failing.id);
    proxy.failBlobs(0);
    assert.equal(ended.counts.failed, 1);
    await waitUntil(async () => {
      await service.tick();
      return receiver.of('scan.failed').length > 0 && receiver.of('task.finished').length > 1;
    });
    const [failed] = receiver.of('scan.failed');
    assert.ok(failed);
    const failure = assertSigned(failed, hook.secret).data as {
      taskId: string;
      image: { repository: string };
      failure: { code: string };
    };
    assert.equal(failure.taskId, failing.id);
    assert.equal(failure.failure.code, 'download_failed');
    assert.match(failure.image.repository, /hooked\/app/);
    const log = await deliveriesOf(hook.id);
    assert.deepEqual(log.items.map((item) => item.event).sort(), [
      'scan.failed',
      'task.finished',
      'task.finished',
    ]);
  });
});
