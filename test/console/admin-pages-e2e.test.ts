import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { Download, Page } from 'playwright-core';
import { defaultPriceList, type ApiServer } from '@drydock/server';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { runTaskToEnd, startTestService, tickUntil, type TestService } from '../harness/service.ts';
import { pushManyImages } from '../service/many-tags.ts';
import {
  adminPassword,
  assertCleanBrowsing,
  startConsoleBrowser,
  type ConsoleBrowser,
} from './console-browser.ts';

/**
 * The console's administration pages in Debian's chromium against the real service, API and
 * registry: a user created and made a viewer, a custom role ticked in the permission grid, a user
 * disabled and deleted, an API token created (its secret shown once and copied), used against the
 * API and revoked, the audit log listing those changes (filtered, expanded, exported), an export
 * of a scanned image's report downloaded, the usage page showing the scan billed, and a viewer
 * kept out of what their role does not allow, with the reason.
 */

const repository = 'admin/app';
const danaPassword = 'dana-initial-password';
const unitPrice = 20_000;

let registry: TestRegistry;
let env: TestService;
let session: ConsoleBrowser;
let api: ApiServer;
let page: Page;
let projectName: string;
let erinId: string;
let danaId: string;

const base = () => `${api.url}/projects/${env.projectId}`;

/** Sets up through the API what these pages do not do: a registry, its image list, one scan. */
async function scanOneImage(): Promise<void> {
  const connection = await session.adminApi('POST', `/projects/${env.projectId}/registries`, {
    name: 'local',
    type: 'registry',
    url: registry.url,
  });
  assert.ok(typeof connection['id'] === 'string');
  const sync = await session.adminApi('POST', `/projects/${env.projectId}/sync-tasks`, {});
  await tickUntil(env.service, async () => {
    const task = await session.adminApi('GET', `/projects/${env.projectId}/sync-tasks/${String(sync['id'])}`);
    return task['status'] !== 'running';
  });
  const task = await session.adminApi('POST', `/projects/${env.projectId}/scan-tasks`, {
    scope: { kind: 'all' },
    acceptFee: true,
  });
  const done = await runTaskToEnd(env.service, env.projectId, String(task['id']));
  assert.equal(done.counts.succeeded, 1, JSON.stringify(done.counts));
}

async function downloaded(download: Download): Promise<string> {
  const path = await download.path();
  return readFile(path, 'utf8');
}

/** Clicks `link` and returns the file the browser downloaded. */
async function download(
  click: () => Promise<void>,
): Promise<{ readonly name: string; readonly text: string }> {
  const started = page.waitForEvent('download');
  await click();
  const file = await started;
  return { name: file.suggestedFilename(), text: await downloaded(file) };
}

/** Picks `option` in the antd select labelled `label` inside `scope`. */
async function choose(scope: ReturnType<Page['getByRole']>, label: string, option: string): Promise<void> {
  await scope.getByLabel(label, { exact: true }).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
    .first()
    .click();
}

async function callMe(secret: string): Promise<Response> {
  return fetch(`${api.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
}

before(async () => {
  registry = await startRegistry({ auth: 'none' });
  await pushManyImages(registry, repository, 1);
  // No free quota: the one scan is billed, so the usage page has an amount to show.
  env = await startTestService({
    prices: { ...defaultPriceList, freeMonthlyScans: 0, unitPriceMicros: unitPrice },
  });
  session = await startConsoleBrowser({ env });
  ({ api, page } = session);
  projectName = (await env.service.projects.get(env.projectId)).name;
  await scanOneImage();
  const erin = await session.adminApi('POST', '/users', { name: 'erin', password: 'erin-password-long' });
  erinId = String(erin['id']);
  await session.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.url });
});

after(async () => {
  await session?.close();
  await env?.close();
  await registry?.stop();
});

test('the admin creates a user, makes them a viewer, creates a custom role, disables and deletes a user', async () => {
  await page.goto(`${base()}/access`);
  await page.waitForURL(/\/sign-in\?next=/);
  await session.signIn(session.adminName, adminPassword);
  await page.waitForURL(`${base()}/access`);
  await page.getByRole('heading', { name: 'Users and roles' }).waitFor();

  // User accounts: create one with an initial password.
  await page.getByRole('tab', { name: 'User accounts' }).click();
  const accounts = page.getByRole('table', { name: 'User accounts' });
  await session.tableRows(accounts).filter({ hasText: 'erin' }).waitFor();
  await page.getByRole('button', { name: 'Create user' }).click();
  const userDialog = page.getByRole('dialog', { name: 'Create user' });
  await userDialog.getByLabel('User name').fill('dana');
  await userDialog.getByLabel('Display name').fill('Dana Developer');
  await userDialog.getByLabel('Initial password').fill(danaPassword);
  await userDialog.getByRole('button', { name: 'Create user' }).click();
  await session.toast('User "dana" created; give them a role in the Members tab.');
  await session.tableRows(accounts).filter({ hasText: 'Dana Developer' }).waitFor();
  await session.screenshot('admin-0-accounts');
  const users = (await api.access.listUsers()).map((user) => user.name);
  assert.ok(users.includes('dana'));
  danaId = (await api.access.listUsers()).find((user) => user.name === 'dana')?.id ?? '';

  // The admin's own account cannot be disabled or deleted here, with the reason.
  const own = session.tableRows(accounts).filter({ hasText: session.adminName }).first();
  assert.match(
    (await own.locator('[data-disabled-reason]').first().getAttribute('data-disabled-reason')) ?? '',
    /your own account/,
  );

  // Disable, then delete with a confirmation.
  const erin = session.tableRows(accounts).filter({ hasText: 'erin' });
  await erin.getByRole('button', { name: 'Disable' }).click();
  await session.toast('User "erin" disabled.');
  await erin.locator('[data-status="disabled"]').waitFor();
  assert.equal((await api.access.getUser(erinId)).disabled, true);
  await erin.getByRole('button', { name: 'Delete user erin' }).click();
  await page.getByRole('tooltip').getByText('Delete the user erin?').waitFor();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await session.toast('User "erin" deleted.');
  await erin.waitFor({ state: 'detached' });

  // Members: dana becomes a viewer of the project.
  await page.getByRole('tab', { name: 'Members' }).click();
  await page.getByRole('button', { name: 'Add member' }).click();
  const memberDialog = page.getByRole('dialog', { name: 'Add member' });
  await choose(memberDialog, 'User', 'Dana Developer (dana)');
  await memberDialog.getByRole('button', { name: 'Add member' }).click();
  await session.toast('Dana Developer is now viewer.');
  const members = page.getByRole('table', { name: 'Members' });
  await session
    .tableRows(members)
    .filter({ hasText: 'Dana Developer' })
    .locator('[data-role="viewer"]')
    .waitFor();
  const member = (await api.access.listMembers(env.projectId)).find((entry) => entry.userId === danaId);
  assert.equal(member?.role, 'viewer');

  // Roles: a custom role ticked in the permission grid.
  await page.getByRole('tab', { name: 'Roles' }).click();
  await page.getByRole('button', { name: 'Create role' }).click();
  const roleDialog = page.getByRole('dialog', { name: 'Create role' });
  await roleDialog.getByLabel('Name').fill('auditor');
  for (const permission of ['images:list', 'billing:get', 'iam:set'])
    await roleDialog.getByRole('checkbox', { name: permission, exact: true }).check();
  await session.screenshot('admin-1-role-dialog');
  await roleDialog.getByRole('button', { name: 'Create role' }).click();
  await session.toast('Role "auditor" created.');
  const auditor = session
    .tableRows(page.getByRole('table', { name: 'Roles' }))
    .filter({ hasText: 'auditor' });
  await auditor.waitFor();
  assert.equal(await auditor.locator('[data-permission="iam:set"]').getAttribute('data-held'), 'true');
  assert.equal(await auditor.locator('[data-permission="images:set"]').getAttribute('data-held'), 'false');
  const roles = await api.access.listRoles(env.projectId);
  assert.deepEqual(roles.find((role) => role.name === 'auditor')?.permissions, [
    'images:list',
    'billing:get',
    'iam:set',
  ]);
  // The built-in roles are fixed, with the reason.
  const viewerRole = session
    .tableRows(page.getByRole('table', { name: 'Roles' }))
    .filter({ hasText: 'viewer' });
  assert.equal(await viewerRole.getByRole('button', { name: 'Edit' }).isDisabled(), true);
  await session.screenshot('admin-2-roles');
});

test('an API token is created, its secret shown once, used against the API, then revoked', async () => {
  await session.openMenu('API tokens');
  await page.getByText('No API tokens yet').waitFor();
  await page.getByRole('button', { name: 'Create token' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Create API token' });
  await dialog.getByLabel('Name').fill('ci');
  await dialog.getByText(`Only ${projectName}`).click();
  await dialog.getByText('Only these').click();
  await dialog.getByRole('button', { name: 'Clear' }).click();
  for (const permission of ['images:list', 'images:get'])
    await dialog.getByRole('checkbox', { name: permission, exact: true }).check();
  await dialog.getByRole('button', { name: 'Create token' }).click();

  const shown = page.getByRole('dialog', { name: 'Token "ci" created' });
  await shown.getByText('Copy the token now: it is not shown again.').waitFor();
  const secret = ((await shown.getByTestId('token-secret').textContent()) ?? '').trim();
  assert.match(secret, /^ddk_\S+$/);
  await shown.getByRole('button', { name: 'Copy' }).click();
  await session.toast('Token copied to the clipboard.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
  await session.screenshot('admin-3-token-secret');
  await shown.getByRole('button', { name: 'I have copied it' }).click();
  await shown.waitFor({ state: 'detached' });

  // The list never shows the secret.
  const row = session.tableRows().filter({ hasText: 'ci' });
  await row.locator('[data-state="active"]').waitFor();
  await row.getByText('images:get').waitFor();
  await row.getByText(projectName).waitFor();
  assert.equal((await page.content()).includes(secret), false);

  // The token works, with only what it was given.
  const me = await callMe(secret);
  assert.equal(me.status, 200);
  const body = (await me.json()) as { via: string; projects: { projectId: string; permissions: string[] }[] };
  assert.equal(body.via, 'token');
  assert.deepEqual(body.projects, [{ projectId: env.projectId, permissions: ['images:list', 'images:get'] }]);
  await session.screenshot('admin-4-tokens');

  // Revoked after a confirmation, it is refused.
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('tooltip').getByText('Revoke the token ci?').waitFor();
  await page.getByRole('tooltip').getByRole('button', { name: 'Revoke' }).click();
  await session.toast('Token "ci" revoked: it no longer opens the API.');
  await row.locator('[data-state="revoked"]').waitFor();
  assert.equal((await callMe(secret)).status, 401);
});

test('the audit log lists those changes, filters them, expands one and exports them', async () => {
  await session.openMenu('Audit log');
  const table = page.getByRole('table', { name: 'Audit events' });
  for (const action of ['member.set', 'role.create', 'token.create'])
    await table.locator(`[data-action="${action}"]`).first().waitFor();

  // A row expands to what changed.
  await session
    .tableRows(table)
    .filter({ has: page.locator('[data-action="role.create"]') })
    .click();
  const details = page.locator('[data-testid^="audit-details-"]');
  await details.getByText('auditor').first().waitFor();
  await details.getByText('["images:list","billing:get","iam:set"]').waitFor();
  await session.screenshot('admin-5-audit-log');

  // Filtered by the API.
  const answered = page.waitForResponse((response) => response.url().includes('action=member.set'));
  await page.getByLabel('Action', { exact: true }).fill('member.set');
  await page.getByLabel('Action', { exact: true }).press('Enter');
  await answered;
  await page.waitForURL(/action=member\.set/);
  await page.getByText('1–1 of 1 events').waitFor();
  await session.tableRows(table).filter({ hasText: 'viewer' }).waitFor();

  // The filtered log as a file.
  const file = await download(() => page.getByRole('link', { name: 'Export CSV' }).click());
  assert.equal(file.name, 'audit-log.csv');
  assert.match(file.text, /member\.set/);
  assert.doesNotMatch(file.text, /role\.create/);
  assert.ok(file.text.includes(danaId));

  // The whole service's log holds what happens outside projects.
  await page.getByRole('button', { name: 'Reset filters' }).first().click();
  await page.getByText('Whole service', { exact: false }).click();
  await page.waitForURL(/scope=service/);
  for (const action of ['user.create', 'user.delete', 'token.revoke', 'session.login'])
    await table.locator(`[data-action="${action}"]`).first().waitFor();
});

test('an export of the scanned image is created, followed to its end and downloaded', async () => {
  await session.openMenu('Exports');
  await page.getByText('No exports yet').waitFor();
  await page.getByRole('button', { name: 'Create export' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Create export' });
  await choose(dialog, 'What to export', "One image's whole report");
  await choose(dialog, 'Image', `${repository}:t0`);
  await dialog.getByText('JSON (scripts)').click();
  await dialog.getByRole('button', { name: 'Start export' }).click();
  await session.toast("Export of one image's whole report started.");

  const row = session.tableRows().first();
  await row.locator('[data-status="finished"]').waitFor();
  await row.getByText('1', { exact: true }).waitFor();
  await session.screenshot('admin-6-exports');
  const file = await download(() => row.getByRole('link', { name: 'Download' }).click());
  assert.match(file.name, /^drydock-image-.*\.json$/);
  assert.ok(file.text.includes(repository));
  JSON.parse(file.text);
});

test('the usage page shows the scan billed this month, with charts', async () => {
  await session.openMenu('Usage');
  const month = page.getByTestId('usage-this-month');
  await month.locator('[data-usage="repositoryScans"]', { hasText: '1' }).waitFor();
  assert.equal(await month.locator('[data-usage="ciScans"]').textContent(), '0');
  assert.equal(await month.locator('[data-usage="billedScans"]').textContent(), '1');
  assert.equal(await month.locator('[data-usage="amount"]').textContent(), '$0.02');
  assert.equal(await page.locator('[role="img"] canvas').count(), 2);
  await page.getByRole('table', { name: 'Usage by month' }).getByText('$0.02').waitFor();
  await session.screenshot('admin-7-usage');
});

test('a viewer sees the administration pages refused, with the reason', async () => {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(`${api.url}/sign-in`);
  await session.signIn('dana', danaPassword);
  await page.waitForURL(/\/projects\/.*\/overview/);
  await page.getByTestId('user-menu').getByText('Dana Developer').waitFor();

  const disabled = page.locator('.ant-menu-item-disabled');
  assert.deepEqual((await disabled.allTextContents()).sort(), ['Audit log', 'Usage', 'Users and roles']);
  assert.match(
    (await disabled
      .filter({ hasText: 'Users and roles' })
      .locator('[data-disabled-reason]')
      .getAttribute('data-disabled-reason')) ?? '',
    /manage members, roles and the audit log \(needs iam:set\)/,
  );
  // A link to the roles page says why it does not open: no role can be created there.
  await page.goto(`${base()}/access?tab=roles`);
  await page.getByText('Users and roles is not available to you').waitFor();
  await page.getByText('needs iam:set').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Create role' }).count(), 0);
  await session.screenshot('admin-8-viewer-refused');

  // What the viewer may do stays open: their own tokens, and exports (images:get).
  await session.openMenu('API tokens');
  await page.getByText('No API tokens yet').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Create token' }).first().isDisabled(), false);
  await session.openMenu('Exports');
  await session.tableRows().first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Create export' }).isDisabled(), false);
});

test('the browser asked nothing of any other host, and logged no error', () => {
  assertCleanBrowsing(session);
});
