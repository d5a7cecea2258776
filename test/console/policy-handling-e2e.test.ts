import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { defaultPolicy, importSource, licenseCategories as engineLicenseCategories } from '@drydock/engine';
import { fake } from '../../packages/engine/src/analyzer/secret/rule-vectors.ts';
import {
  handlingActions,
  handlingStates,
  licenseCategories,
  severityLevels,
} from '../../packages/console/src/api/handling-types.ts';
import { builtInCompliancePolicy } from '../../packages/console/src/handling/compliance-policy.ts';
import { buildTestImage, RegistryPusher } from '../harness/registry-push.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { runTaskToEnd, startTestService, type TestService } from '../harness/service.ts';
import {
  adminPassword,
  assertCleanBrowsing,
  startConsoleBrowser,
  type ConsoleBrowser,
} from './console-browser.ts';

/**
 * The Scheduled policy and Handling pages in Debian's chromium, against the real service (its
 * workers scan), the real HTTP API and a real registry. The image holds an npm package two
 * made-up advisories name (a vulnerability database built for the test) and two GitHub-token
 * shaped secrets. The test sets a policy through the form and finds it stored, sees the API's
 * field errors on the fields, changes the project's time zone, stops the scheduled scans; ignores
 * a vulnerability with an expiry and finds it listed and in the advisory's history; lifts a secret
 * ignore and allowlists a path (the finding under it stops counting); adds a weak-password word and
 * a denied licence; and checks that a viewer sees every form read-only with the reason.
 */

const repository = 'shop/api';
const tag = '2.0';
const widget = 'drydock-test-widget';
const viewerPassword = 'viewer-password-for-handling';
const appSecretPath = 'srv/app/.env';
const legacySecretPath = 'srv/legacy/old.env';

let work: string;
let registry: TestRegistry;
let env: TestService;
let session: ConsoleBrowser;
let page: Page;
let connectionId: string;
let appSecretRule: string;

const projectPath = () => `/projects/${env.projectId}`;
const screenshot = (name: string) => session.screenshot(`policy-handling-${name}`);

/** A made-up OSV advisory about the made-up package (test data only). */
function advisory(id: string, fixed: string) {
  return {
    schema_version: '1.6.0',
    id,
    modified: '2026-01-01T00:00:00Z',
    published: '2025-12-01T00:00:00Z',
    summary: `${id}: made-up flaw in ${widget}`,
    affected: [
      {
        package: { ecosystem: 'npm', name: widget },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }],
      },
    ],
  };
}

async function buildDatabase(): Promise<string> {
  const source = join(work, 'records');
  await mkdir(source, { recursive: true });
  for (const record of [advisory('DRYDOCK-TEST-1', '1.3.0'), advisory('DRYDOCK-TEST-2', '2.0.0')])
    await writeFile(join(source, `${record.id}.json`), JSON.stringify(record));
  const path = join(work, 'vulndb.sqlite');
  await importSource(path, source, { feedName: 'test' });
  return path;
}

async function pushImage(): Promise<void> {
  const image = await buildTestImage({
    layers: [
      {
        'srv/app/package.json': JSON.stringify({
          name: 'api',
          version: '2.0.0',
          dependencies: { [widget]: '^1.2.0' },
        }),
        [`srv/app/node_modules/${widget}/package.json`]: JSON.stringify({
          name: widget,
          version: '1.2.0',
          license: 'MIT',
        }),
        [appSecretPath]: `GITHUB_TOKEN=ghp_${fake('b62', 36)}\n`,
        [legacySecretPath]: `GITHUB_TOKEN=ghp_${fake('b62', 36)}\n`,
      },
    ],
  });
  await new RegistryPusher(registry).pushImage(repository, tag, image);
}

/** The error messages shown under the form field labelled `label`. */
function fieldErrors(scope: Locator, label: string): Locator {
  return scope
    .locator('.ant-form-item')
    .filter({ has: page.locator('label', { hasText: label }) })
    .locator('.ant-form-item-explain-error');
}

async function openSegment(label: string): Promise<void> {
  await page.locator('.ant-segmented-item', { hasText: new RegExp(`^${label}$`) }).click();
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-policy-handling-e2e-'));
  const database = await buildDatabase();
  registry = await startRegistry({ auth: 'none' });
  await pushImage();
  env = await startTestService({ engines: { vulnerabilityDatabasePath: database } });
  session = await startConsoleBrowser({ env });
  page = session.page;

  // What these pages do not do: the registry, its sync, the scan, a viewer.
  ({ connectionId } = await session.connectAndSync(registry.url));
  const task = await env.service.tasks.start(
    env.projectId,
    { scope: { kind: 'all' }, riskTypes: ['vulnerability', 'secret'], acceptFee: true },
    session.adminName,
  );
  const done = await runTaskToEnd(env.service, env.projectId, task.id);
  assert.equal(done.counts.succeeded, 1, JSON.stringify(done.counts));
  const secrets = await session.adminApi('GET', `${projectPath()}/risks/secret`);
  const found = (secrets['findings'] as { finding: { ruleId: string; path: string } }[]).map(
    (group) => group.finding,
  );
  assert.deepEqual(found.map((finding) => finding.path).sort(), [appSecretPath, legacySecretPath]);
  appSecretRule = found.find((finding) => finding.path === appSecretPath)?.ruleId ?? '';
  // An ignore for the page to lift.
  await session.adminApi('POST', `${projectPath()}/handling/secret-ignores`, {
    ruleId: appSecretRule,
    path: appSecretPath,
    reason: 'a token of the staging sandbox',
  });
  await session.addMember({ name: 'auditor', displayName: 'Ada Auditor', password: viewerPassword });
});

after(async () => {
  await session?.close();
  await env?.close();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Every enum of a document, each as its values joined by commas. */
function enumsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) enumsIn(item, found);
    return found;
  }
  if (typeof value !== 'object' || value === null) return found;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'enum' && Array.isArray(child)) found.push(child.join(','));
    else enumsIn(child, found);
  }
  return found;
}

test("the console's handling lists match the API's enums and the engine's policy", async () => {
  const response = await fetch(`${session.api.url}/api/v1/openapi.json`);
  const enums = enumsIn(await response.json());
  for (const list of [handlingActions, handlingStates, severityLevels])
    assert.ok(enums.includes(list.join(',')), `no enum [${list.join(',')}] in the OpenAPI document`);
  assert.deepEqual([...licenseCategories], [...engineLicenseCategories]);
  assert.deepEqual(builtInCompliancePolicy, defaultPolicy);
});

test('a policy set through the form is stored, with when it runs next', async () => {
  // No policy yet: the API answers 404, which the browser logs.
  session.expectErrors(/status of 404 .*\/policy\)$/);
  await page.goto(`${session.api.url}${projectPath()}/policy`);
  await page.waitForURL(/\/sign-in\?next=/);
  await session.signIn(session.adminName, adminPassword);
  await page.waitForURL(`${session.api.url}${projectPath()}/policy`);
  const summary = page.getByTestId('policy-summary');
  await summary.getByText('Not set up').waitFor();
  session.expectErrors(undefined);
  await screenshot('1-no-policy');

  const form = page.getByRole('form', { name: 'Scheduled scan policy' });
  await form.getByRole('button', { name: 'Every 3 days' }).click();
  await form.getByLabel('Window starts').fill('22:00');
  await form.getByLabel('Window ends').fill('06:00');
  await form.getByRole('checkbox', { name: 'Software compliance' }).uncheck();
  await form.getByLabel('Speed limit').fill('30');
  await form.getByRole('radio', { name: 'Only these registries' }).check();
  await form.getByRole('combobox', { name: 'Chosen registries' }).click();
  await page.locator('.ant-select-dropdown .ant-select-item-option', { hasText: 'local' }).click();
  await page.keyboard.press('Escape');
  await form.getByRole('button', { name: '7 days' }).click();
  await form.getByRole('button', { name: 'Create policy' }).click();
  await session.toast('Scheduled policy saved.');

  const stored = await session.adminApi('GET', `${projectPath()}/policy`);
  assert.equal(stored['enabled'], true);
  assert.equal(stored['periodDays'], 3);
  assert.equal(stored['windowStart'], '22:00');
  assert.equal(stored['windowEnd'], '06:00');
  assert.deepEqual(stored['riskTypes'], ['vulnerability', 'baseline', 'malware', 'secret']);
  assert.equal(stored['speedLimit'], 30);
  assert.equal(stored['updatedWithinDays'], 7);
  assert.deepEqual(stored['connectionIds'], [connectionId]);
  assert.equal(typeof stored['nextRunAt'], 'string');

  await summary.getByText('On', { exact: true }).waitFor();
  await summary.getByText('22:00–06:00').waitFor();
  await summary.getByText('Every 3 days').waitFor();
  await summary.getByText('Never').waitFor();
  assert.doesNotMatch((await summary.textContent()) ?? '', /Not scheduled/);
  // The window on a 24-hour bar.
  assert.equal(await form.locator('[role="img"] canvas').count(), 1);
  await screenshot('2-policy-saved');
});

test("the API's validation errors show on the fields, and nothing is stored", async () => {
  const form = page.getByRole('form', { name: 'Scheduled scan policy' });
  await form.getByLabel('Run every (days)').fill('45');
  await form.getByLabel('Window ends').fill('25:00');
  session.expectErrors(/status of 400 .*\/policy\)$/);
  await form.getByRole('button', { name: 'Save policy' }).click();
  await fieldErrors(form, 'Run every').filter({ hasText: /30/ }).waitFor();
  await fieldErrors(form, 'Window ends').filter({ hasText: 'a time of day as HH:MM' }).waitFor();
  session.expectErrors(undefined);
  await screenshot('3-field-errors');
  const stored = await session.adminApi('GET', `${projectPath()}/policy`);
  assert.equal(stored['periodDays'], 3);
  assert.equal(stored['windowEnd'], '06:00');
  await form.getByRole('button', { name: 'Reset' }).click();
  assert.equal(await form.getByLabel('Window ends').inputValue(), '06:00');
});

test("the project's time zone is changed, and the window is read in it", async () => {
  const summary = page.getByTestId('policy-summary');
  await summary.getByRole('button', { name: 'Change' }).click();
  const dialog = page.getByRole('dialog', { name: 'Project time zone' });
  const zone = dialog.getByRole('combobox', { name: 'Time zone' });
  await zone.click();
  await zone.fill('Europe/Berlin');
  // The keyboard picks the filtered option and closes the list: under load a click on the option,
  // or on the button while the list still covered it, was lost (three fixes of this step before).
  await page
    .locator('.ant-select-dropdown .ant-select-item-option-active', { hasText: /^Europe\/Berlin$/ })
    .waitFor();
  await zone.press('Enter');
  // The select shows its value as the title of its content once chosen.
  await dialog.getByTitle('Europe/Berlin', { exact: true }).waitFor();
  await dialog.getByRole('button', { name: 'Change time zone' }).click();
  // What lasts, rather than the toast, which can come and go while a loaded machine looks away.
  await dialog.waitFor({ state: 'hidden' });
  await summary.getByText('Europe/Berlin').waitFor();
  await page.getByTestId('policy-time-zone').getByText('Europe/Berlin').waitFor();
  const stored = await session.adminApi('GET', `${projectPath()}/policy`);
  assert.equal(stored['timeZone'], 'Europe/Berlin');
});

test('stopping scheduled scans asks first, then keeps the policy switched off', async () => {
  await page.getByRole('button', { name: 'Stop scheduled scans' }).click();
  const confirm = page.locator('.ant-popconfirm');
  await confirm.getByText('Stop scheduled scans?').waitFor();
  await confirm.getByRole('button', { name: 'Stop scheduled scans' }).click();
  await session.toast('Scheduled scans stopped; the policy is kept, switched off.');
  const summary = page.getByTestId('policy-summary');
  await summary.getByText('Off', { exact: true }).waitFor();
  await summary.getByText('Not scheduled while the policy is off').waitFor();
  const stored = await session.adminApi('GET', `${projectPath()}/policy`);
  assert.equal(stored['enabled'], false);
  assert.equal(stored['periodDays'], 3);
  assert.equal(stored['nextRunAt'], undefined);
  assert.equal(await page.getByRole('switch', { name: 'Scheduled scans on' }).isChecked(), false);
  await screenshot('4-stopped');
});

test('a vulnerability ignored with an expiry is listed as ignored and in its history', async () => {
  await session.openMenu('Handling');
  const counts = page.getByTestId('handling-state-card');
  await counts.locator('[data-count="open"]', { hasText: '2' }).waitFor();
  assert.equal(await counts.locator('[data-count="ignored"]').textContent(), '0');
  await page.getByText('No handled findings').waitFor();
  await page.getByRole('button', { name: 'Show open findings' }).click();
  const row = session.tableRows().filter({ hasText: 'DRYDOCK-TEST-1' });
  await row.getByText('Open', { exact: true }).waitFor();
  await screenshot('5-open-findings');

  await row.getByRole('button', { name: 'Handle' }).click();
  const dialog = page.getByRole('dialog', { name: 'Handle DRYDOCK-TEST-1' });
  assert.equal(await dialog.getByLabel('Package').inputValue(), widget);
  await dialog.getByLabel('Expires').click();
  await dialog.getByLabel('Expires').fill('2099-12-31 12:00');
  await dialog.getByLabel('Expires').press('Enter');
  await dialog.getByLabel('Reason').fill('the widget is only used by the build, never at run time');
  await screenshot('6-ignore-dialog');
  await dialog.getByRole('button', { name: 'Record' }).click();
  await session.toast('Ignore: DRYDOCK-TEST-1 recorded.');
  await dialog.waitFor({ state: 'detached' });

  await counts.locator('[data-count="ignored"]', { hasText: '1' }).waitFor();
  await counts.locator('[data-count="open"]', { hasText: '1' }).waitFor();
  await openSegment('Handled');
  const handled = session.tableRows().filter({ hasText: 'DRYDOCK-TEST-1' });
  await handled.getByText('Ignored', { exact: true }).waitFor();
  assert.equal(await session.tableRows().count(), 1);

  await handled.getByRole('button', { name: 'History' }).click();
  const history = page.getByTestId('handling-history');
  const entry = history.getByTestId('handling-entry');
  await entry.waitFor();
  await entry.getByText('Ignore', { exact: true }).waitFor();
  await entry.getByText(new RegExp(`^by ${session.adminName}, `)).waitFor();
  await entry.getByText('the widget is only used by the build, never at run time').waitFor();
  await entry.getByText(widget).waitFor();
  await entry.getByText('All images').waitFor();
  await entry.getByText(/Expires .*2099/).waitFor();
  await screenshot('7-history');
  const stored = await session.adminApi('GET', `${projectPath()}/handling/vulnerabilities/DRYDOCK-TEST-1`);
  const [recorded] = stored['entries'] as { action: string; expiresAt: string; packageName: string }[];
  assert.equal(recorded?.action, 'ignore');
  assert.equal(recorded?.packageName, widget);
  assert.match(recorded?.expiresAt ?? '', /^2099-12-31T/);
  await page.keyboard.press('Escape');
  await history.waitFor({ state: 'detached' });
});

test('a secret ignore is lifted after a confirmation, and a path is allowlisted', async () => {
  await page.getByRole('tab', { name: 'Sensitive information' }).click();
  const ignores = page.getByTestId('secret-ignores-card');
  const row = session.tableRows(ignores).filter({ hasText: appSecretPath });
  await row.getByText(appSecretRule).waitFor();
  await row.getByText('a token of the staging sandbox').waitFor();
  await screenshot('8-secret-ignores');
  await row.getByRole('button', { name: /^Lift the ignore/ }).click();
  const confirm = page.locator('.ant-popconfirm');
  await confirm.getByText('Lift this ignore?').waitFor();
  await confirm.getByRole('button', { name: 'Lift' }).click();
  await session.toast(`Lifted the ignore of ${appSecretRule} at ${appSecretPath}.`);
  await ignores.getByText('No ignored findings').waitFor();
  const lifted = await session.adminApi(
    'GET',
    `${projectPath()}/handling/secret-ignores?includeRemoved=true`,
  );
  const [entry] = lifted['ignores'] as { path: string; removedAt: string | null }[];
  assert.equal(entry?.path, appSecretPath);
  assert.notEqual(entry?.removedAt, null);
  // The history keeps it.
  await ignores.getByRole('switch', { name: 'Show lifted ignores' }).click();
  await session.tableRows(ignores).filter({ hasText: appSecretPath }).waitFor();

  const allowlist = page.getByTestId('path-allowlist');
  await allowlist.getByText('No path globs yet.').waitFor();
  await allowlist.getByLabel('Add path globs (one per line)').fill('srv/legacy/**');
  await allowlist.getByRole('button', { name: 'Add path glob' }).click();
  await session.toast('Path allowlist saved; findings on these paths count as ignored.');
  await session.tableRows(allowlist).filter({ hasText: 'srv/legacy/**' }).waitFor();
  const settings = await session.adminApi('GET', `${projectPath()}/scan-settings`);
  assert.deepEqual(settings['secretPathAllowlist'], ['srv/legacy/**']);
  // The finding under the path no longer counts; the other is open again.
  const open = await session.adminApi('GET', `${projectPath()}/risks/secret?handling=open`);
  const paths = (open['findings'] as { finding: { path: string } }[]).map((group) => group.finding.path);
  assert.deepEqual(paths, [appSecretPath]);
  await screenshot('9-path-allowlist');
});

test('the scan settings: a weak-password word and a denied licence are saved', async () => {
  await page.getByRole('tab', { name: 'Scan settings' }).click();
  const words = page.getByTestId('weak-passwords');
  await words.getByLabel('Add words (one per line)').fill('Harbour-Winter-24\nDrydock!2025');
  await words.getByRole('button', { name: 'Add 2 words' }).click();
  await session.toast('Weak-password list saved; the next scans try these words.');
  await session.tableRows(words).filter({ hasText: 'Drydock!2025' }).waitFor();

  const policy = page.getByTestId('compliance-policy-form');
  await policy.getByText('Built-in policy', { exact: true }).waitFor();
  const deny = policy.getByLabel('Licences always denied (SPDX ids)');
  await deny.click();
  await deny.fill('AGPL-3.0-only');
  await deny.press('Enter');
  await page.keyboard.press('Escape');
  await policy.getByRole('button', { name: 'Save compliance policy' }).click();
  await session.toast('Compliance policy saved.');
  await policy.getByText('Project policy', { exact: true }).waitFor();
  const settings = await session.adminApi('GET', `${projectPath()}/scan-settings`);
  assert.deepEqual(settings['weakPasswords'], ['Harbour-Winter-24', 'Drydock!2025']);
  const stored = settings['compliancePolicy'] as { denyIds: string[]; forbiddenCategories: string[] };
  assert.deepEqual(stored.denyIds, ['AGPL-3.0-only']);
  assert.deepEqual(stored.forbiddenCategories, ['forbidden']);
  await screenshot('10-scan-settings');
});

test('a viewer sees every form read-only, with the reason', async () => {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(`${session.api.url}/sign-in`);
  await session.signIn('auditor', viewerPassword);
  await page.getByTestId('user-menu').getByText('Ada Auditor').waitFor();

  await session.openMenu('Scheduled policy');
  const form = page.getByRole('form', { name: 'Scheduled scan policy' });
  await page.getByTestId('policy-read-only').getByText('needs policies:set', { exact: false }).waitFor();
  assert.equal(await form.getByLabel('Window starts').isDisabled(), true);
  assert.equal(await form.getByRole('button', { name: 'Save policy' }).isDisabled(), true);
  assert.match(
    (await form.locator('[data-disabled-reason]').first().getAttribute('data-disabled-reason')) ?? '',
    /change the scheduled scan policy \(needs policies:set\)/,
  );
  assert.equal(await page.getByRole('button', { name: 'Stop scheduled scans' }).isDisabled(), true);
  assert.equal(
    await page.getByTestId('policy-summary').getByRole('button', { name: 'Change' }).isDisabled(),
    true,
  );
  await screenshot('11-viewer-policy');

  await session.openMenu('Handling');
  await session.tableRows().filter({ hasText: 'DRYDOCK-TEST-1' }).waitFor();
  const newEntry = page.getByRole('button', { name: 'New handling entry' });
  assert.equal(await newEntry.isDisabled(), true);
  const reason = page.locator('[data-disabled-reason]').filter({ has: newEntry });
  assert.match(
    (await reason.getAttribute('data-disabled-reason')) ?? '',
    /handle findings \(needs results:handle\)/,
  );
  const row = session.tableRows().filter({ hasText: 'DRYDOCK-TEST-1' });
  assert.equal(await row.getByRole('button', { name: 'Handle' }).isDisabled(), true);
  // Reading the history needs no more than the page.
  await row.getByRole('button', { name: 'History' }).click();
  await page.getByTestId('handling-entry').getByText('Ignore', { exact: true }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'New entry' }).isDisabled(), true);
  await page.keyboard.press('Escape');
  await screenshot('12-viewer-vulnerabilities');

  await page.getByRole('tab', { name: 'Sensitive information' }).click();
  assert.equal(await page.getByRole('button', { name: 'Ignore a finding' }).isDisabled(), true);
  await page
    .getByTestId('path-allowlist-read-only')
    .getByText('needs results:handle', { exact: false })
    .waitFor();
  await page.getByRole('tab', { name: 'Scan settings' }).click();
  await page
    .getByTestId('scan-settings-read-only')
    .getByText('needs results:handle', { exact: false })
    .waitFor();
  await screenshot('13-viewer-settings');
});

test('the browser asked nothing of any other host, and logged no error', () => {
  assertCleanBrowsing(session);
});
