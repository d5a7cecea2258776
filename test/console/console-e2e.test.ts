import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { sessionCookieName, type ApiServer } from '@drydock/server';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { runTaskToEnd, type TestService } from '../harness/service.ts';
import { pushManyImages } from '../service/many-tags.ts';
import {
  adminPassword,
  assertCleanBrowsing,
  screenshotDir,
  startConsoleBrowser,
  type ConsoleBrowser,
} from './console-browser.ts';

/**
 * The built web console in Debian's chromium (playwright-core), against the real service, the real
 * HTTP API and a real registry: sign in through the form, connect the registry and sync it in the
 * Registries page, the images in the image list (paged, sorted, filtered by the API) and counted
 * in the overview, the scan dialog up to the fee confirmation and the task it starts, the project
 * switcher, a viewer who sees scan actions disabled with the reason, an
 * ended session sent back to sign in, and signing out. Every request the browser makes goes to
 * the service, and the browser logs no error. Screenshots of each page go to
 * test-artifacts/console/ (git-ignored).
 */

const viewerPassword = 'viewer-password-for-the-console';
const repository = 'console/app';
const imageCount = 3;

let registry: TestRegistry;
let session: ConsoleBrowser;
let env: TestService;
let api: ApiServer;
let page: Page;
let adminName: string;
let otherProjectName: string;

/** Sets up through the API what the console does not do yet: a viewer, a second project. */
async function prepareUsers(): Promise<void> {
  await session.addMember({ name: 'viewer', displayName: 'Vera Viewer', password: viewerPassword });
  otherProjectName = 'staging';
  await session.adminApi('POST', '/projects', { name: otherProjectName });
}

const screenshot = (name: string) => session.screenshot(name);
const toast = (text: string | RegExp) => session.toast(text);
const signIn = (name: string, password: string) => session.signIn(name, password);
const openMenu = (label: string) => session.openMenu(label);
const tableSettled = () => session.tableSettled();
const tableRows = () => session.tableRows();

/** Runs `action`, then waits for the image list the API answers to `query` to be on screen. */
async function listed(query: string, action: () => Promise<void>): Promise<void> {
  const answered = page.waitForResponse(
    (response) => response.url().includes('/images?') && response.url().includes(query),
  );
  await action();
  await answered;
  await tableSettled();
}

/** The image names of the image list's rows, top to bottom. */
async function imageNames(): Promise<string[]> {
  await page.getByRole('heading', { name: 'Repository images' }).waitFor();
  await tableRows().filter({ hasText: repository }).first().waitFor();
  return (await tableRows().locator('strong').allTextContents()).map((text) => text.trim());
}

before(async () => {
  registry = await startRegistry({ auth: 'none' });
  await pushManyImages(registry, repository, imageCount);
  session = await startConsoleBrowser();
  ({ env, api, page, adminName } = session);
  await prepareUsers();
});

after(async () => {
  await session?.close();
  await registry?.stop();
});

test('the console build', (t) => {
  const { build } = session;
  t.diagnostic(
    build.built
      ? `built the console in ${build.buildMs} ms`
      : 'the console build was up to date (or another test process built it)',
  );
  t.diagnostic(`screenshots: ${screenshotDir}`);
});

test('a visitor is sent to sign in, and signs in through the form', async () => {
  await page.goto(`${api.url}/projects/${env.projectId}/images`);
  await page.waitForURL(/\/sign-in\?next=/);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await screenshot('01-sign-in');
  // The browser logs the refused sign-in's 401 itself.
  session.expectErrors(/status of 401 .*\/api\/v1\/session\)$/);
  await signIn(adminName, 'not the password');
  await page.getByRole('alert').getByText('The name or the password is wrong.').waitFor();
  session.expectErrors(undefined);
  await signIn(adminName, adminPassword);
  // Back to the page asked for.
  await page.waitForURL(`${api.url}/projects/${env.projectId}/images`);
  await page.getByRole('heading', { name: 'Repository images' }).waitFor();
  await page.getByText('No images yet').waitFor();
});

test('a registry is added, tested and synchronized in the Registries page', async () => {
  await openMenu('Registries');
  await page.getByText('No registries connected').waitFor();
  await page.getByRole('button', { name: 'Add registry' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('local');
  await dialog.getByLabel('URL').fill(registry.url);
  await dialog.getByRole('button', { name: 'Add registry' }).click();
  await toast('Registry "local" added.');
  const row = tableRows().filter({ hasText: 'local' });
  await row.getByText('Not tested').waitFor();
  await row.getByRole('button', { name: 'Test connection' }).click();
  await toast('local: connection works.');
  await row.getByText('Connected').waitFor();
  // Editing shows the stored settings; credentials stay unless new ones are entered.
  await row.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit registry local' });
  assert.equal(await edit.getByLabel('Name', { exact: true }).inputValue(), 'local');
  assert.equal(await edit.getByLabel('URL').inputValue(), registry.url);
  await edit.getByRole('button', { name: 'Cancel' }).click();
  await edit.waitFor({ state: 'detached' });
  await row.getByRole('button', { name: 'Sync' }).click();
  await toast(`Image list synchronized: ${imageCount} added, 0 changed, 0 removed, 0 unchanged.`);
  await screenshot('02-registries');
});

test('the image list shows the real images, paged, sorted and filtered by the API', async () => {
  await openMenu('Repository images');
  assert.deepEqual(await imageNames(), ['console/app:t0', 'console/app:t1', 'console/app:t2']);
  await page.getByText(`1–${imageCount} of ${imageCount} images`).waitFor();
  const first = tableRows().first();
  await first.getByText('local').waitFor();
  await first.getByText('Pending').waitFor();
  await first.getByText('Not assessed').waitFor();
  await screenshot('03-images');

  // Sorting: ascending, then descending, by the image name; the API sorts and the address keeps it.
  await tableSettled();
  await listed('sort=name&order=asc', () => page.locator('th', { hasText: 'Image' }).first().click());
  await page.waitForURL(/sort=name&order=asc/);
  await listed('sort=name&order=desc', () => page.locator('th', { hasText: 'Image' }).first().click());
  await page.waitForURL(/sort=name&order=desc/);
  assert.deepEqual(await imageNames(), ['console/app:t2', 'console/app:t1', 'console/app:t0']);

  // A filter the API applies.
  await page.getByLabel('Tag', { exact: true }).fill('t1');
  await listed('tag=t1', () => page.getByLabel('Tag', { exact: true }).press('Enter'));
  await page.waitForURL(/tag=t1/);
  await page.getByText('1–1 of 1 images').waitFor();
  assert.deepEqual(await imageNames(), ['console/app:t1']);
  await page.getByRole('button', { name: 'Reset filters' }).click();
  await page.getByText(`1–${imageCount} of ${imageCount} images`).waitFor();
});

test('the overview counts the images by scan status and risk level, with charts', async () => {
  await openMenu('Overview');
  const status = page.getByTestId('scan-status-card');
  await status.locator('[data-count="not_scanned"]', { hasText: String(imageCount) }).waitFor();
  assert.equal(await status.locator('[data-count="failed"]').textContent(), '0');
  const risk = page.getByTestId('risk-level-card');
  await risk.locator('[data-count="not_assessed"]', { hasText: String(imageCount) }).waitFor();
  assert.equal(await risk.locator('[data-count="critical"]').textContent(), '0');
  // ECharts draws on canvases, one per chart (test/console/overview-e2e.test.ts covers the others).
  assert.equal(await status.locator('[role="img"] canvas').count(), 1);
  assert.equal(await risk.locator('[role="img"] canvas').count(), 1);
  await page.getByTestId('database-card').getByText('Not loaded').waitFor();
  await screenshot('04-overview');
  // A count leads to the list filtered by it.
  await status.getByText('Pending').click();
  await page.waitForURL(/\/images\?status=not_scanned/);
  await page.getByText(`1–${imageCount} of ${imageCount} images`).waitFor();
});

test('the scan dialog estimates the fee and starts a task of the selected images', async () => {
  await page.goto(`${api.url}/projects/${env.projectId}/images`);
  await tableRows().first().waitFor();
  for (const name of ['console/app:t0', 'console/app:t1'])
    await tableRows().filter({ hasText: name }).locator('.ant-checkbox-input').check();
  await page.getByRole('button', { name: 'Scan 2 selected' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('The 2 selected images').waitFor();
  await screenshot('05-scan-dialog');
  await dialog.getByRole('button', { name: 'Next: estimate the fee' }).click();
  const estimate = dialog.getByLabel('Fee estimate');
  await estimate.waitFor();
  assert.match((await estimate.textContent()) ?? '', /Images in scope2/);
  await screenshot('06-scan-fee');
  await dialog.getByRole('button', { name: 'Confirm and start scan' }).click();
  await page.waitForURL(/\/tasks\?scanTask=/);
  const taskId = new URL(page.url()).searchParams.get('scanTask');
  assert.ok(taskId);
  const task = await env.service.tasks.get(env.projectId, taskId);
  assert.equal(task.counts.total, 2);
  assert.equal(task.creator, adminName);

  // The service's workers scan them; the list and the overview show the outcome.
  const done = await runTaskToEnd(env.service, env.projectId, taskId);
  assert.equal(done.counts.succeeded, 2, JSON.stringify(done.counts));
  // The task manager opened the new task's detail (test/console/tasks-e2e.test.ts covers it).
  await page.locator('.ant-drawer-open').getByTestId('scan-task-counts').waitFor();
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await page.locator('.ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
  await openMenu('Repository images');
  await tableRows().filter({ hasText: 'console/app:t0' }).getByText('Succeeded').waitFor();
  await tableRows().filter({ hasText: 'console/app:t1' }).getByText('Succeeded').waitFor();
  await tableRows().filter({ hasText: 'console/app:t2' }).getByText('Pending').waitFor();
  await tableSettled();
  await screenshot('08-images-scanned');
  await openMenu('Overview');
  await page.getByTestId('scan-status-card').locator('[data-count="succeeded"]', { hasText: '2' }).waitFor();
  await page
    .getByTestId('risk-level-card')
    .locator('[data-count="not_assessed"]', { hasText: '1' })
    .waitFor();
  await screenshot('09-overview-scanned');
});

test('the project switcher lists the projects and switches between them', async () => {
  await openMenu('Overview');
  const projectName = (await env.service.projects.get(env.projectId)).name;
  await page.getByTestId('project-switcher').click();
  const options = page.locator('.ant-select-dropdown .ant-select-item-option');
  await options.first().waitFor();
  assert.deepEqual((await options.allTextContents()).sort(), [projectName, otherProjectName].sort());
  await screenshot('07-project-switcher');
  await options.filter({ hasText: otherProjectName }).click();
  await page.waitForURL((url) => url.pathname.endsWith('/overview') && !url.pathname.includes(env.projectId));
  await page.getByTestId('scan-status-card').getByText('No images yet').waitFor();
  await page.getByTestId('project-switcher').click();
  await options.filter({ hasText: projectName }).click();
  await page.waitForURL(`${api.url}/projects/${env.projectId}/overview`);
});

test('a viewer sees scan and registry actions disabled, with the reason', async () => {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(`${api.url}/sign-in`);
  await signIn('viewer', viewerPassword);
  await page.waitForURL(`${api.url}/projects/${env.projectId}/overview`);
  await page.getByTestId('user-menu').getByText('Vera Viewer').waitFor();

  await openMenu('Repository images');
  await imageNames();
  assert.equal(await page.getByTestId('scan-images').isDisabled(), true);
  const rowScans = await tableRows().getByRole('button', { name: 'Scan' }).all();
  assert.equal(rowScans.length, imageCount);
  for (const button of rowScans) assert.equal(await button.isDisabled(), true);
  assert.equal(await page.getByRole('button', { name: 'Synchronize images' }).isDisabled(), true);
  const reason = page
    .getByRole('main')
    .locator('[data-disabled-reason]')
    .filter({ has: page.getByTestId('scan-images') });
  assert.match(
    (await reason.getAttribute('data-disabled-reason')) ?? '',
    /start and stop scans \(needs images:set\)/,
  );
  await reason.hover();
  await page.getByRole('tooltip').getByText('needs images:set').waitFor();
  await screenshot('20-viewer-images');

  // Pages the role does not open are disabled in the menu.
  const disabled = page.locator('.ant-menu-item-disabled');
  assert.deepEqual((await disabled.allTextContents()).sort(), ['Audit log', 'Usage', 'Users and roles']);
  await openMenu('Registries');
  await page.getByRole('heading', { name: 'Registries' }).waitFor();
  await tableRows().filter({ hasText: registry.url }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Add registry' }).isDisabled(), true);
  assert.equal(await tableRows().first().getByRole('button', { name: 'Test connection' }).isDisabled(), true);
  await screenshot('21-viewer-registries');

  // A link to such a page says why it does not open.
  await page.goto(`${api.url}/projects/${env.projectId}/usage`);
  await page.getByText('Usage is not available to you').waitFor();
  await page.getByText('needs billing:get').waitFor();
});

test('an ended session sends the user back to sign in, then to the page they were on', async () => {
  await page.goto(`${api.url}/projects/${env.projectId}/images`);
  await tableRows().first().waitFor();
  // The session is gone (as after its expiry): the next API call answers 401.
  await session.context.clearCookies();
  session.expectErrors(/status of 401/);
  await page.reload();
  await page.waitForURL(/\/sign-in\?next=%2Fprojects%2F.*%2Fimages/);
  await toast('Your session has ended; sign in again.');
  session.expectErrors(undefined);
  await signIn('viewer', viewerPassword);
  await page.waitForURL(`${api.url}/projects/${env.projectId}/images`);
  await tableRows().first().waitFor();
});

test('the user menu changes the password and signs out', async () => {
  const newPassword = 'a-new-viewer-password';
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Change password' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change password' });
  await dialog.getByLabel('Current password').fill(viewerPassword);
  await dialog.getByLabel('New password', { exact: true }).fill(newPassword);
  await dialog.getByLabel('New password again').fill(newPassword);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await toast('Password changed; your other sessions were signed out.');
  await dialog.waitFor({ state: 'detached' });

  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(`${api.url}/sign-in`);
  const cookies = await session.context.cookies();
  assert.equal(
    cookies.some((cookie) => cookie.name === sessionCookieName),
    false,
  );
  // Back to a page: sign in again, with the new password.
  await page.goto(`${api.url}/projects/${env.projectId}/overview`);
  await page.waitForURL(/\/sign-in\?next=/);
  await signIn('viewer', newPassword);
  await page.waitForURL(`${api.url}/projects/${env.projectId}/overview`);
});

test('the browser asked nothing of any other host, and logged no error', () => {
  const origin = new URL(api.url).origin;
  assert.ok(session.requests.some((url) => url.startsWith(`${origin}/api/v1/me`)));
  assert.ok(session.requests.some((url) => url.startsWith(`${origin}/assets/`)));
  assertCleanBrowsing(session);
});
