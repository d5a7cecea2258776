import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { blobDataPath, buildTestImage, RegistryPusher } from '../harness/registry-push.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { startTestService, waitUntil, type TestService } from '../harness/service.ts';
import { pushManyImages } from '../service/many-tags.ts';
import {
  adminPassword,
  assertCleanBrowsing,
  startConsoleBrowser,
  type ConsoleBrowser,
} from './console-browser.ts';

/**
 * The task manager in Debian's chromium against the real service (ticking on its own, so its
 * workers scan while the page watches), the real API and a real registry holding several images
 * and one whose layer blob is gone: a scan task opened by `?scanTask=<id>` progresses to its end
 * with its counts, chart and the failed image's reason and remedy; a slow task is stopped with the
 * confirmation; the sync tab lists the syncs, one started from it; a viewer sees Stop and Sync
 * disabled with the reason.
 */

const viewerPassword = 'viewer-password-for-the-tasks';
const repository = 'tasks/app';
const goodImages = 4;
const brokenImage = 'broken/app:v1';

let registry: TestRegistry;
let env: TestService;
let session: ConsoleBrowser;
let page: Page;
let projectId: string;
let fullScanId: string;

/** Pushes an image and then deletes its layer blob from the registry's storage. */
async function pushBrokenImage(): Promise<void> {
  const image = await buildTestImage({ layers: [{ 'etc/gone': 'this layer goes away\n' }] });
  await new RegistryPusher(registry).pushImage('broken/app', 'v1', image);
  const layer = image.layers[0];
  assert.ok(layer);
  await rm(blobDataPath(registry.storageDir, layer.digest));
}

async function startScan(body: Record<string, unknown>): Promise<string> {
  const task = await session.adminApi('POST', `/projects/${projectId}/scan-tasks`, {
    scope: { kind: 'all' },
    acceptFee: true,
    ...body,
  });
  return String(task['id']);
}

const drawer = () => page.locator('.ant-drawer-open');

/**
 * Closes the task detail and waits until its closing motion has ended: then the drawer gives the
 * focus back to what opened it, which would close a dropdown opened meanwhile.
 */
async function closeDrawer(): Promise<void> {
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await page.waitForURL((url) => !url.searchParams.has('scanTask'));
  await page.locator('.ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
}
const scanTable = () => page.getByTestId('scan-task-table');
const scanRow = (name: string): Locator => session.tableRows(scanTable()).filter({ hasText: name });

before(async () => {
  registry = await startRegistry({ auth: 'none' });
  await pushManyImages(registry, repository, goodImages);
  await pushBrokenImage();
  // Ticks on its own, as a deployed service does: the dispatcher sends scans without the test.
  env = await startTestService({ tickMs: 100 });
  projectId = env.projectId;
  session = await startConsoleBrowser({ env });
  page = session.page;

  const connection = await session.adminApi('POST', `/projects/${projectId}/registries`, {
    name: 'local',
    type: 'registry',
    url: registry.url,
  });
  const sync = await session.adminApi('POST', `/projects/${projectId}/sync-tasks`, {
    registryIds: [String(connection['id'])],
  });
  await waitUntil(
    async () => (await env.service.sync.get(projectId, String(sync['id']))).status !== 'running',
  );
  await session.addMember({ name: 'viewer', displayName: 'Vera Viewer', password: viewerPassword });
});

after(async () => {
  await session?.close();
  await env?.close();
  await registry?.stop();
});

test('a scan task opened by its link progresses to its end, with counts, chart and failure reasons', async () => {
  fullScanId = await startScan({ name: 'Full scan' });
  await page.goto(`${session.api.url}/projects/${projectId}/tasks?scanTask=${fullScanId}`);
  await page.waitForURL(/\/sign-in\?next=/);
  await session.signIn(session.adminName, adminPassword);
  await page.waitForURL(`${session.api.url}/projects/${projectId}/tasks?scanTask=${fullScanId}`);

  // The detail opens from the address and follows the task until it ends.
  await drawer().getByText('Full scan').first().waitFor();
  await drawer().locator('[data-status="finished"]').waitFor({ timeout: 60_000 });
  const counts = drawer().getByTestId('scan-task-counts');
  await counts.locator('[data-count="succeeded"]', { hasText: String(goodImages) }).waitFor();
  assert.equal(await counts.locator('[data-count="failed"]').textContent(), '1');
  assert.equal(await counts.locator('[data-count="total"]').textContent(), String(goodImages + 1));
  assert.equal(await counts.locator('[data-count="queued"]').textContent(), '0');
  assert.equal(await drawer().locator('[role="img"] canvas').count(), 1);
  assert.equal(await drawer().getByRole('progressbar').getAttribute('aria-valuenow'), '100');
  assert.match(
    (await drawer().getByTestId('scan-task-pace').textContent()) ?? '',
    new RegExp(`${goodImages + 1} of ${goodImages + 1} image scans ended; took`),
  );
  assert.match((await drawer().textContent()) ?? '', new RegExp(`Creator${session.adminName}`));
  assert.match((await drawer().textContent()) ?? '', /ScopeAll images/);
  await session.screenshot('tasks-1-scan-task-detail');

  // The failed image, its failure code, the stored reason and the remedy.
  await drawer().getByText('Failed (1)').click();
  const images = drawer().getByTestId('scan-task-images');
  const failed = session.tableRows(images);
  await failed.first().waitFor();
  assert.equal(await failed.count(), 1);
  await failed.getByText(brokenImage).waitFor();
  assert.equal(await failed.locator('.scan-failure').getAttribute('data-failure-code'), 'not_found');
  await failed.getByText('The image is no longer in the registry: synchronize the image list.').waitFor();
  assert.equal(await failed.locator('.ant-tag', { hasText: 'not_found' }).count(), 1);
  await images.scrollIntoViewIfNeeded();
  await session.screenshot('tasks-2-failed-image');
  // Every image of the task, by status.
  await drawer().getByText(`Succeeded (${goodImages})`).click();
  await session
    .tableRows(images)
    .filter({ hasText: `${repository}:t0` })
    .getByText('Succeeded')
    .waitFor();
  assert.equal(await session.tableRows(images).count(), goodImages);

  // Closing the detail leaves the list, where the task shows its outcome.
  await closeDrawer();
  const row = scanRow('Full scan');
  await row.locator('[data-status="finished"]').waitFor();
  await row.getByText(`by ${session.adminName}`).waitFor();
  await row.getByText('All images').waitFor();
  await row.getByText('All risk types · No speed limit').waitFor();
  assert.equal(await row.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
  // A row opens its detail, and the address says which.
  await row.getByRole('button', { name: 'Details of Full scan' }).click();
  await page.waitForURL(new RegExp(`scanTask=${fullScanId}`));
  await drawer().getByTestId('scan-task-counts').waitFor();
  await closeDrawer();
});

test('a running task is stopped after the confirmation and ends stopped', async () => {
  // One image an hour: the first scan starts, the others wait, so the task keeps running.
  const slowId = await startScan({ name: 'Slow scan', speedLimit: 1, riskTypes: ['vulnerability'] });
  // Nothing listed runs, so the list is not polled: Refresh shows the new task.
  await page.getByRole('button', { name: 'Refresh' }).click();
  const row = scanRow('Slow scan');
  await row.locator('[data-status="running"]').waitFor();
  await row.getByText('Vulnerabilities · 1 image/h per registry').waitFor();

  await session.screenshot('tasks-3-running');

  // One image's scan stops from the repository image list; the task goes on with the others. The
  // image is one still waiting once the hour's one scan has been sent.
  await waitUntil(async () =>
    (await env.service.tasks.images(slowId)).some((image) => image.status !== 'queued'),
  );
  const waiting = (await env.service.tasks.images(slowId)).find(
    (image) => image.status === 'queued' && image.repository === repository,
  );
  assert.ok(waiting, 'an image of the slow scan waits');
  const stoppedName = `${repository}:${waiting.tag}`;
  await session.openMenu('Repository images');
  const imageRow = session.tableRows().filter({ hasText: stoppedName });
  await imageRow.getByText('To be scanned').waitFor();
  await imageRow.getByRole('button', { name: `Stop scans of ${stoppedName}` }).click();
  const imageConfirm = page.locator('.ant-popconfirm').filter({ hasText: `Stop scanning ${stoppedName}?` });
  await imageConfirm
    .getByText(/end as terminated in every task, which go on with their other images/)
    .waitFor();
  await session.screenshot('tasks-3a-image-stop-confirmation');
  await imageConfirm.getByRole('button', { name: 'Stop scans' }).click();
  await session.toast(`${stoppedName}: 1 scan stopped.`);
  await imageRow.getByText('Scan terminated').waitFor();
  assert.equal(await imageRow.getByRole('button', { name: `Stop scans of ${stoppedName}` }).count(), 0);
  await session.screenshot('tasks-3b-image-stopped');
  const afterImageStop = await env.service.tasks.get(projectId, slowId);
  assert.equal(afterImageStop.status, 'running');
  assert.equal(afterImageStop.counts.terminated, 1);
  // The task's images show it terminated; the task still runs for the others.
  await session.openMenu('Tasks');
  await row.locator('[data-status="running"]').waitFor();
  await row.getByRole('button', { name: 'Details of Slow scan' }).click();
  await drawer().getByText('Terminated (1)').click();
  const terminated = session.tableRows(drawer().getByTestId('scan-task-images'));
  await terminated.filter({ hasText: stoppedName }).locator('[data-status="terminated"]').waitFor();
  assert.equal(await terminated.count(), 1);
  await drawer().locator('[data-status="running"]').first().waitFor();
  await session.screenshot('tasks-3c-task-images-after-image-stop');
  await closeDrawer();

  await row.getByRole('button', { name: 'Stop Slow scan' }).click();
  const confirm = page.locator('.ant-popconfirm');
  await confirm.getByText('Stop Slow scan?').waitFor();
  await confirm.getByText(/queued and running image scans end as terminated/).waitFor();
  await session.screenshot('tasks-4-stop-confirmation');
  await confirm.getByRole('button', { name: 'Stop task' }).click();
  await session.toast(/Slow scan/);
  // The list follows the task until it has stopped.
  await row.locator('[data-status="stopped"]').waitFor({ timeout: 30_000 });
  const stopped = await env.service.tasks.get(projectId, slowId);
  assert.equal(stopped.status, 'stopped');
  assert.ok(stopped.counts.terminated >= goodImages, JSON.stringify(stopped.counts));
  assert.equal(await row.getByRole('button', { name: 'Stop Slow scan' }).isDisabled(), true);

  await row.getByRole('button', { name: 'Details of Slow scan' }).click();
  const counts = drawer().getByTestId('scan-task-counts');
  await counts.locator('[data-count="terminated"]', { hasText: String(stopped.counts.terminated) }).waitFor();
  await session.screenshot('tasks-5-stopped-detail');
  await closeDrawer();

  // Filtering by status is done by the API.
  await page.getByLabel('Status', { exact: true }).click();
  await page.keyboard.type('Stopped');
  await page.locator('.ant-select-item-option-active', { hasText: 'Stopped' }).waitFor();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.waitForURL(/status=stopped/);
  await scanRow('Full scan').waitFor({ state: 'detached' });
  await scanRow('Slow scan').waitFor();
  assert.equal(await session.tableRows(scanTable()).count(), 1);
  await page.getByRole('button', { name: 'Reset filters' }).click();
  await scanRow('Full scan').waitFor();
});

test('the sync tab lists the syncs with their counts, and one started there', async () => {
  await page.getByRole('tab', { name: 'Sync tasks' }).click();
  await page.waitForURL(/tab=sync/);
  const table = page.getByTestId('sync-task-table');
  const rows = session.tableRows(table);
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  const first = rows.first();
  await first.locator('[data-status="finished"]').waitFor();
  await first.getByText('local').waitFor();
  assert.equal(await first.locator('[data-count="added"]').textContent(), String(goodImages + 1));
  assert.equal(await first.locator('[data-count="unchanged"]').textContent(), '0');
  await first.getByText('None').first().waitFor();

  await page.getByRole('button', { name: 'Sync all registries' }).click();
  await session.toast(`Image list synchronized: 0 added, 0 changed, 0 removed, ${goodImages + 1} unchanged.`);
  await rows.nth(1).waitFor();
  const newest = rows.first();
  await newest.locator('[data-status="finished"]').waitFor();
  assert.equal(await newest.locator('[data-count="unchanged"]').textContent(), String(goodImages + 1));
  assert.equal(await newest.locator('[data-count="added"]').textContent(), '0');
  await session.screenshot('tasks-6-sync-tasks');
});

test('a viewer sees Stop and Sync disabled, with the reason', async () => {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(`${session.api.url}/sign-in`);
  await session.signIn('viewer', viewerPassword);
  await page.waitForURL(/\/overview$/);
  await session.openMenu('Tasks');
  const stop = scanRow('Full scan').getByRole('button', { name: 'Stop Full scan' });
  await stop.waitFor();
  assert.equal(await stop.isDisabled(), true);
  const reason = scanRow('Full scan').locator('[data-disabled-reason]');
  assert.match(
    (await reason.getAttribute('data-disabled-reason')) ?? '',
    /stop scans \(needs images:set or containers:set\)/,
  );
  await reason.hover();
  await page.getByRole('tooltip').getByText('needs images:set or containers:set').waitFor();
  await session.screenshot('tasks-7-viewer-scan-tasks');

  await page.getByRole('tab', { name: 'Sync tasks' }).click();
  await session.tableRows(page.getByTestId('sync-task-table')).first().waitFor();
  const sync = page.getByRole('button', { name: 'Sync all registries' });
  assert.equal(await sync.isDisabled(), true);
  const syncReason = page.locator('[data-disabled-reason]').filter({ has: sync });
  assert.match((await syncReason.getAttribute('data-disabled-reason')) ?? '', /needs registries:set/);

  // An image's Stop in the repository image list: shown while it waits, disabled with the reason.
  const slowId = await startScan({ name: 'Viewer-watched scan', speedLimit: 1, riskTypes: ['secret'] });
  await waitUntil(async () =>
    (await env.service.tasks.images(slowId)).some((image) => image.status !== 'queued'),
  );
  const waiting = (await env.service.tasks.images(slowId)).find((image) => image.status === 'queued');
  assert.ok(waiting);
  const name = `${waiting.repository}:${waiting.tag}`;
  await session.openMenu('Repository images');
  const imageRow = session.tableRows().filter({ hasText: name });
  const imageStop = imageRow.getByRole('button', { name: `Stop scans of ${name}` });
  await imageStop.waitFor();
  assert.equal(await imageStop.isDisabled(), true);
  const imageReason = imageRow
    .locator('[data-disabled-reason]')
    .filter({ has: page.getByRole('button', { name: `Stop scans of ${name}` }) });
  assert.match(
    (await imageReason.getAttribute('data-disabled-reason')) ?? '',
    /stop scans \(needs images:set or containers:set\)/,
  );
  await session.screenshot('tasks-8-viewer-image-stop');
  await session.adminApi('POST', `/projects/${projectId}/scan-tasks/${slowId}/stop`);
});

test('the browser asked nothing of any other host, and logged no error', () => {
  assertCleanBrowsing(session);
});
