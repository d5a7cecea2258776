import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { ApiServer } from '@drydock/server';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { runTaskToEnd, startTestService, waitUntil, type TestService } from '../harness/service.ts';
import { pushManyImages } from '../service/many-tags.ts';
import { WebhookReceiver, type Received } from '../harness/webhook-receiver.ts';
import {
  adminPassword,
  assertCleanBrowsing,
  startConsoleBrowser,
  type ConsoleBrowser,
} from './console-browser.ts';

/**
 * The Webhooks page in Debian's chromium against the real service, API, job queue and a loopback
 * receiver (node:http): a webhook added through the dialog shows its secret once, a ping sent from
 * the page arrives signed with that secret and shows in the delivery log, a receiver answering 500
 * then 200 shows the retry (both attempts with their codes) and a redelivery, a real scan's
 * `task.finished` arrives and is logged, the webhook is edited and deleted (confirmed first), and a
 * viewer sees the list and the log with every change disabled, with the reason.
 */

const viewerPassword = 'viewer-password-for-webhooks';

/** The receiver's check as the documentation describes it: HMAC-SHA256 of `timestamp.body`. */
function signedWith(entry: Received, secret: string): boolean {
  const timestamp = String(entry.headers['x-drydock-timestamp']);
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${entry.body}`).digest('hex')}`;
  const given = String(entry.headers['x-drydock-signature']);
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

let receiver: WebhookReceiver;
let registry: TestRegistry;
let env: TestService;
let session: ConsoleBrowser;
let api: ApiServer;
let page: Page;
let secret = '';
let webhookId = '';

const base = () => `${api.url}/projects/${env.projectId}`;
const deliveries = () => page.getByTestId('webhook-deliveries');
const deliveryRow = (id: string) => deliveries().locator(`tr.ant-table-row[data-row-key="${id}"]`);
const webhookRow = () => session.tableRows(page.getByRole('table', { name: 'Webhooks' })).first();

async function reasonOf(scope: Locator, name: string): Promise<string> {
  const wrapper = scope.locator('[data-disabled-reason]', { has: page.getByRole('button', { name }) });
  return (await wrapper.getAttribute('data-disabled-reason')) ?? '';
}

/** The attempts of a delivery, as shown in its expanded row: [attempt, response, error]. */
async function shownAttempts(id: string): Promise<string[][]> {
  const table = deliveries()
    .locator(`tr[data-row-key="${id}"] + tr.ant-table-expanded-row`)
    .getByRole('table', { name: 'Attempts' });
  const rows = await session.tableRows(table).all();
  return Promise.all(
    rows.map(async (row) => {
      const cells = await row.locator('td').allTextContents();
      return [cells[0] ?? '', cells[2] ?? '', cells[3] ?? ''];
    }),
  );
}

async function closeDrawer(): Promise<void> {
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await deliveries().waitFor({ state: 'detached' });
}

before(async () => {
  receiver = await WebhookReceiver.start();
  registry = await startRegistry({ auth: 'none' });
  await pushManyImages(registry, 'hooks/app', 1);
  // Retries after about 300 ms instead of 20 s, so the 500-then-200 receiver is seen within the test.
  env = await startTestService({ webhooks: { firstRetryDelayMs: 300, timeoutMs: 5000 } });
  session = await startConsoleBrowser({ env });
  ({ api, page } = session);
  await session.addMember({ name: 'watcher', displayName: 'Wanda Watcher', password: viewerPassword });
  await session.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.url });
});

after(async () => {
  await session?.close();
  await env?.close();
  await registry?.stop();
  await receiver?.stop();
});

test('the admin adds a webhook, sees its secret once, and pings it from the page', async () => {
  await page.goto(`${base()}/webhooks`);
  await page.waitForURL(/\/sign-in\?next=/);
  await session.signIn(session.adminName, adminPassword);
  await page.waitForURL(`${base()}/webhooks`);
  await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
  await page.getByText('No webhooks yet').waitFor();
  await session.screenshot('webhooks-0-empty');

  await page.getByRole('button', { name: 'Add webhook' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add webhook' });
  await dialog.getByLabel('Payload URL').fill(receiver.url);
  await dialog.getByRole('checkbox', { name: /New critical findings/ }).uncheck();
  await session.screenshot('webhooks-1-add');
  await dialog.getByRole('button', { name: 'Add webhook' }).click();

  // The secret, once: generated, copyable, and nowhere on the page after the dialog closes.
  const shown = page.getByRole('dialog', { name: 'Webhook created' });
  secret = (await shown.getByTestId('webhook-secret').textContent()) ?? '';
  assert.match(secret, /^whsec_/);
  await shown.getByRole('button', { name: 'Copy' }).click();
  await session.toast('Secret copied to the clipboard.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
  await session.screenshot('webhooks-2-secret');
  await shown.getByRole('button', { name: 'I have copied it' }).click();
  await shown.waitFor({ state: 'detached' });
  await webhookRow().getByText(receiver.url).waitFor();
  assert.ok(!(await page.content()).includes(secret));
  const [stored] = await env.service.webhooks.list(env.projectId);
  assert.ok(stored);
  webhookId = stored.id;
  assert.deepEqual(stored.events, ['task.finished', 'scan.failed']);
  assert.equal(stored.enabled, true);
  await webhookRow().getByText('None yet').waitFor();

  // A ping from the page reaches the receiver, signed with the secret shown; the log shows it.
  await webhookRow().getByRole('button', { name: 'Send ping' }).click();
  await session.toast(/Ping sent/);
  await waitUntil(async () => receiver.of('ping').length === 1, { timeoutMs: 15_000 });
  const [ping] = receiver.of('ping');
  assert.ok(ping && signedWith(ping, secret), 'the ping is signed with the secret shown once');
  const pingId = String(ping.headers['x-drydock-delivery']);
  await deliveryRow(pingId).locator('[data-status="succeeded"]').waitFor();
  await deliveryRow(pingId).getByRole('button', { name: 'Expand row' }).click();
  await waitUntil(async () => (await shownAttempts(pingId)).length === 1);
  assert.deepEqual(await shownAttempts(pingId), [['1', '200', '—']]);
  assert.match((await deliveries().locator('pre').first().textContent()) ?? '', /"event":"ping"/);
  await session.screenshot('webhooks-3-ping-log');
  await closeDrawer();
  await webhookRow().locator('[data-testid="last-delivery"] [data-status="succeeded"]').waitFor();
});

test('a receiver answering 500 then 200 shows the retry in the log; a redelivery adds an attempt', async () => {
  receiver.statuses = [500, 200];
  const before = receiver.received.length;
  await webhookRow().getByRole('button', { name: 'Send ping' }).click();
  await waitUntil(async () => receiver.received.length === before + 2, { timeoutMs: 20_000 });
  const id = String(receiver.received[before]?.headers['x-drydock-delivery']);
  assert.equal(receiver.received[before + 1]?.headers['x-drydock-delivery'], id);
  await deliveryRow(id).locator('[data-status="succeeded"]').waitFor();
  await deliveryRow(id).getByRole('button', { name: 'Expand row' }).click();
  await waitUntil(async () => (await shownAttempts(id)).length === 2);
  assert.deepEqual(await shownAttempts(id), [
    ['1', '500', 'the receiver answered 500'],
    ['2', '200', '—'],
  ]);
  const [first] = (await env.service.webhooks.deliveries(env.projectId, webhookId, { offset: 0, limit: 1 }))
    .items;
  assert.ok(first?.attempts[0]?.nextAttemptAt, 'the failed attempt scheduled the next');
  await session.screenshot('webhooks-4-retry-log');

  await deliveryRow(id).getByRole('button', { name: 'Redeliver' }).click();
  await session.toast('Ping delivery sent again.');
  await waitUntil(async () => (await shownAttempts(id)).length === 3, { timeoutMs: 15_000 });
  await deliveryRow(id).locator('[data-status="succeeded"]').waitFor();
  const sent = receiver.received.filter((entry) => entry.headers['x-drydock-delivery'] === id);
  assert.equal(sent.length, 3);
  assert.equal(sent[2]?.body, sent[0]?.body);
  assert.ok(sent.every((entry) => signedWith(entry, secret)));
  await closeDrawer();
});

test('a real scan sends task.finished, which the delivery log shows', async () => {
  await session.connectAndSync(registry.url);
  const task = await session.adminApi('POST', `/projects/${env.projectId}/scan-tasks`, {
    scope: { kind: 'all' },
    acceptFee: true,
  });
  const done = await runTaskToEnd(env.service, env.projectId, String(task['id']));
  assert.equal(done.counts.succeeded, 1, JSON.stringify(done.counts));
  await waitUntil(
    async () => {
      await env.service.tick();
      return receiver.of('task.finished').length === 1;
    },
    { timeoutMs: 15_000, everyMs: 200 },
  );
  const [finished] = receiver.of('task.finished');
  assert.ok(finished && signedWith(finished, secret));
  const id = String(finished.headers['x-drydock-delivery']);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await webhookRow().getByRole('button', { name: 'Deliveries' }).click();
  await deliveryRow(id).getByText('task.finished').waitFor();
  await deliveryRow(id).locator('[data-status="succeeded"]').waitFor();
  assert.equal(await deliveries().locator('tr.ant-table-row-level-0').count(), 3);
  await session.screenshot('webhooks-5-task-finished');
  await closeDrawer();
});

test('the admin edits the webhook and deletes it after confirming', async () => {
  await webhookRow().getByRole('button', { name: 'Edit' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit webhook' });
  assert.equal(await dialog.getByLabel('Payload URL').inputValue(), receiver.url);
  await dialog.getByRole('checkbox', { name: /New critical findings/ }).check();
  await dialog.getByRole('checkbox', { name: /Scan failed/ }).uncheck();
  await dialog.getByRole('switch', { name: 'Enabled' }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await session.toast(`Webhook ${receiver.url} saved.`);
  await webhookRow().locator('[data-enabled="false"]').waitFor();
  const edited = await env.service.webhooks.get(env.projectId, webhookId);
  assert.deepEqual(edited.events, ['task.finished', 'findings.new_critical']);
  assert.equal(edited.enabled, false);
  await session.screenshot('webhooks-6-edited');

  await webhookRow()
    .getByRole('button', { name: `Delete webhook ${receiver.url}` })
    .click();
  await page.getByRole('tooltip').getByText('Delete this webhook?').waitFor();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await session.toast(`Webhook ${receiver.url} deleted with its delivery log.`);
  await page.getByText('No webhooks yet').waitFor();
  assert.deepEqual(await env.service.webhooks.list(env.projectId), []);
});

test('a viewer sees the webhooks and their log read-only, with the reason', async () => {
  const created = await session.adminApi('POST', `/projects/${env.projectId}/webhooks`, {
    url: receiver.url,
    events: ['scan.failed'],
  });
  await session.adminApi('POST', `/projects/${env.projectId}/webhooks/${String(created['id'])}/ping`);
  await waitUntil(async () => {
    const log = await env.service.webhooks.deliveries(env.projectId, String(created['id']), {
      offset: 0,
      limit: 1,
    });
    return log.items[0]?.status === 'succeeded';
  });

  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(`${api.url}/sign-in`);
  await session.signIn('watcher', viewerPassword);
  await page.getByTestId('user-menu').getByText('Wanda Watcher').waitFor();
  await session.openMenu('Webhooks');
  await webhookRow().getByText(receiver.url).waitFor();
  await page.getByTestId('webhooks-read-only').waitFor();

  const reason = /Your role in this project does not allow you to manage webhooks \(needs iam:set\)/;
  assert.match(await reasonOf(page.locator('.page-frame'), 'Add webhook'), reason);
  for (const name of ['Send ping', 'Edit', `Delete webhook ${receiver.url}`]) {
    assert.match(await reasonOf(webhookRow(), name), reason, name);
    assert.equal(await webhookRow().getByRole('button', { name }).isDisabled(), true, name);
  }
  await session.screenshot('webhooks-7-viewer');

  // The log opens; redelivery is disabled with the same reason.
  await webhookRow().getByRole('button', { name: 'Deliveries' }).click();
  const row = deliveries().locator('tr.ant-table-row-level-0').first();
  await row.locator('[data-status="succeeded"]').waitFor();
  assert.match(await reasonOf(row, 'Redeliver'), reason);
  await session.screenshot('webhooks-8-viewer-log');
  await closeDrawer();
  assertCleanBrowsing(session);
});
