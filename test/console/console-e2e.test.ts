import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { csrfHeader, sessionCookieName, startApiServer, type ApiServer } from '@drydock/server';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { runTaskToEnd, startTestService, type TestService } from '../harness/service.ts';
import { pushManyImages } from '../service/many-tags.ts';
import { ensureConsoleBuilt, repositoryRoot, type ConsoleBuild } from './console-build.ts';

/**
 * The built web console in Debian's chromium (playwright-core), against the real service, the real
 * HTTP API and a real registry: sign in through the form, connect the registry and sync it in the
 * Registries page, the images in the image list (paged, sorted, filtered by the API) and counted
 * in the overview, the scan dialog up to the fee confirmation and the task it starts, the project
 * switcher, the pages not built yet, a viewer who sees scan actions disabled with the reason, an
 * ended session sent back to sign in, and signing out. Every request the browser makes goes to
 * the service, and the browser logs no error. Screenshots of each page go to
 * test-artifacts/console/ (git-ignored).
 */

const adminPassword = 'admin-password-for-the-console';
const viewerPassword = 'viewer-password-for-the-console';
const repository = 'console/app';
const imageCount = 3;
export const screenshotDir = join(repositoryRoot, 'test-artifacts/console');

let build: ConsoleBuild;
let registry: TestRegistry;
let env: TestService;
let api: ApiServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let profile: string;
let adminName: string;
let otherProjectName: string;
/** Every URL the browser requested. */
const requests: string[] = [];
/** Console errors and uncaught page errors; `expectedErrors` may excuse some while a step runs. */
const errors: string[] = [];
let expectedErrors: RegExp | undefined;

async function apiCall(method: string, path: string, cookie: string, csrf: string, body?: unknown) {
  const response = await fetch(`${api.url}/api/v1${path}`, {
    method,
    headers: {
      cookie: `${sessionCookieName}=${cookie}`,
      [csrfHeader]: csrf,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/** Sets up through the API what the console does not do yet: a viewer, a second project. */
async function prepareUsers(): Promise<void> {
  const login = await fetch(`${api.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: adminName, password: adminPassword }),
  });
  assert.equal(login.status, 200);
  const cookie = login.headers
    .getSetCookie()
    .map((entry) => entry.split(';')[0] ?? '')
    .find((entry) => entry.startsWith(`${sessionCookieName}=`))
    ?.slice(sessionCookieName.length + 1);
  assert.ok(cookie);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const viewer = await apiCall('POST', '/users', cookie, csrfToken, {
    name: 'viewer',
    displayName: 'Vera Viewer',
    password: viewerPassword,
  });
  await apiCall('PUT', `/projects/${env.projectId}/members/${String(viewer['id'])}`, cookie, csrfToken, {
    role: 'viewer',
  });
  otherProjectName = 'staging';
  await apiCall('POST', '/projects', cookie, csrfToken, { name: otherProjectName });
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** The antd message (toast) with this text. */
async function toast(text: string | RegExp): Promise<void> {
  await page.locator('.ant-message').getByText(text).first().waitFor();
}

async function signIn(name: string, password: string): Promise<void> {
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function openMenu(label: string): Promise<void> {
  const menu = page.getByRole('menu', { name: 'Console pages' });
  await menu.getByText(label, { exact: true }).click();
  await menu.locator('.ant-menu-item-selected', { hasText: label }).waitFor();
}

/** Until the table's loading overlay (which takes the clicks) is gone. */
async function tableSettled(): Promise<void> {
  await page.locator('.ant-table-wrapper .ant-spin-spinning').waitFor({ state: 'detached' });
}

/** Runs `action`, then waits for the image list the API answers to `query` to be on screen. */
async function listed(query: string, action: () => Promise<void>): Promise<void> {
  const answered = page.waitForResponse(
    (response) => response.url().includes('/images?') && response.url().includes(query),
  );
  await action();
  await answered;
  await tableSettled();
}

function tableRows() {
  return page.locator('.ant-table-tbody tr.ant-table-row');
}

/** The image names of the image list's rows, top to bottom. */
async function imageNames(): Promise<string[]> {
  await page.getByRole('heading', { name: 'Repository images' }).waitFor();
  await tableRows().filter({ hasText: repository }).first().waitFor();
  return (await tableRows().locator('strong').allTextContents()).map((text) => text.trim());
}

before(async () => {
  build = await ensureConsoleBuilt();
  await mkdir(screenshotDir, { recursive: true });
  registry = await startRegistry({ auth: 'none' });
  await pushManyImages(registry, repository, imageCount);
  env = await startTestService();
  api = await startApiServer({
    service: env.service,
    port: 0,
    adminPassword,
    logger: false,
    consoleDir: build.dist,
  });
  adminName = api.bootstrap?.userName ?? 'admin';
  await prepareUsers();
  profile = await mkdtemp(join(tmpdir(), 'drydock-chromium-'));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.on('request', (request) => requests.push(request.url()));
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = `${message.text()} (${message.location().url})`;
    if (!expectedErrors?.test(text)) errors.push(text);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.stack ?? error.message}`));
});

after(async () => {
  await context?.close();
  await browser?.close();
  await api?.close();
  await env?.close();
  await registry?.stop();
  if (profile) await rm(profile, { recursive: true, force: true });
});

test('the console build', (t) => {
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
  expectedErrors = /status of 401 .*\/api\/v1\/session\)$/;
  await signIn(adminName, 'not the password');
  await page.getByRole('alert').getByText('The name or the password is wrong.').waitFor();
  expectedErrors = undefined;
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
  // ECharts draws on canvases, one per chart.
  assert.equal(await page.locator('[role="img"] canvas').count(), 2);
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

test('every other page of the menu says it is not built yet', async () => {
  const notBuilt = [
    'Risk views',
    'Tasks',
    'Scheduled policy',
    'Handling',
    'Usage',
    'Users and roles',
    'API tokens',
    'Audit log',
    'Exports',
  ];
  for (const [index, label] of notBuilt.entries()) {
    await openMenu(label);
    await page.getByTestId('not-built').getByText(`${label}: not built yet`).waitFor();
    await screenshot(`${String(10 + index).padStart(2, '0')}-${label.toLowerCase().replaceAll(' ', '-')}`);
  }
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
  await context.clearCookies();
  expectedErrors = /status of 401/;
  await page.reload();
  await page.waitForURL(/\/sign-in\?next=%2Fprojects%2F.*%2Fimages/);
  await toast('Your session has ended; sign in again.');
  expectedErrors = undefined;
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
  const cookies = await context.cookies();
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
  const elsewhere = requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin);
  assert.deepEqual(elsewhere, []);
  assert.ok(requests.some((url) => url.startsWith(`${origin}/api/v1/me`)));
  assert.ok(requests.some((url) => url.startsWith(`${origin}/assets/`)));
  assert.deepEqual(errors, []);
});
