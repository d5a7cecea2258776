import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { importSource } from '@drydock/engine';
import { fake } from '../../packages/engine/src/analyzer/secret/rule-vectors.ts';
import { eicarString } from '../harness/clamd.ts';
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
 * The risk views page in Debian's chromium, against the real service (its workers scan), the real
 * HTTP API and a real registry. Four images share the npm package `marked` at a version the
 * Node.js security advisories name (real OSV records of ../shared/vulndata), one of them also a
 * package with a critical advisory; two of them share
 * a GitHub-token-shaped secret, the EICAR test file and an AGPL package. The test sees each shared
 * finding once with its image count, expands a finding to every image it affects, follows a link
 * to an image report, filters by severity, search and handling state (after ignoring the secret in
 * one image through the API), walks every tab, and checks a viewer reads the page too.
 */

const vulndata = join(import.meta.dirname, '..', '..', '..', 'shared', 'vulndata');
const githubToken = `ghp_${fake('b62', 36)}`;
const viewerPassword = 'viewer-password-for-the-risk-views';
// The advisory's key: advisory, ecosystem, package, installed version (server results/finding-keys.ts).
const advisory = 'NSWG-ECO-101';
const advisoryKey = `${advisory} npm marked 0.3.5`;
// A critical advisory (CVSS 9.8) in one image only: listed before the medium one in four.
const criticalKey = 'NSWG-ECO-313 npm serialize-to-js 0.5.0';
const secretPath = 'srv/app/.env';

let work: string;
let registry: TestRegistry;
let env: TestService;
let session: ConsoleBrowser;
let page: Page;
let risksUrl: string;
/** Image ids by `repository:tag`. */
let imageIds: Record<string, string>;

const npmPackage = (name: string, version: string, license: string) =>
  `${JSON.stringify({ name, version, license })}\n`;

async function pushImages(): Promise<void> {
  const pusher = new RegistryPusher(registry);
  const marked = { 'srv/app/node_modules/marked/package.json': npmPackage('marked', '0.3.5', 'MIT') };
  const web = (version: string) => ({
    ...marked,
    [secretPath]: `GITHUB_TOKEN=${githubToken}\n`,
    'srv/app/node_modules/ghostwriter/package.json': npmPackage('ghostwriter', '1.2.0', 'AGPL-3.0-only'),
    'tmp/eicar.com': eicarString,
    'srv/app/version': `${version}\n`,
  });
  await pusher.pushImage('shop/web', '1.0', await buildTestImage({ layers: [web('1.0')] }));
  await pusher.pushImage('shop/web', '2.0', await buildTestImage({ layers: [web('2.0')] }));
  await pusher.pushImage(
    'shop/api',
    '1.0',
    await buildTestImage({
      layers: [
        {
          ...marked,
          'srv/app/node_modules/serialize-to-js/package.json': npmPackage('serialize-to-js', '0.5.0', 'MIT'),
        },
      ],
    }),
  );
  await pusher.pushImage(
    'shop/worker',
    '1.0',
    await buildTestImage({ layers: [{ ...marked, 'srv/app/worker': 'worker\n' }] }),
  );
}

const screenshot = (name: string) => session.screenshot(`risk-views-${name}`);

/** The table row of one finding (antd keys rows by the finding key). */
const findingRow = (key: string): Locator => page.locator(`tr.ant-table-row[data-row-key="${key}"]`);

async function openTab(label: string): Promise<void> {
  await page.getByRole('tab', { name: label }).click();
  await page.getByRole('tab', { name: label, selected: true }).waitFor();
}

async function pick(filter: string, option: string): Promise<void> {
  await page.getByRole('search').getByLabel(filter, { exact: true }).click();
  await page.locator('.ant-select-dropdown .ant-select-item-option', { hasText: option }).click();
  await page.keyboard.press('Escape');
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-risks-e2e-'));
  const database = join(work, 'vulndb.sqlite');
  await importSource(database, join(vulndata, 'nodejs-security-wg/npm.jsonl'));
  registry = await startRegistry({ auth: 'none' });
  await pushImages();
  env = await startTestService({ engines: { vulnerabilityDatabasePath: database } });
  session = await startConsoleBrowser({ env });
  page = session.page;
  risksUrl = `${session.api.url}/projects/${env.projectId}/risks`;

  // What this page does not do: the registry, its sync, the scan, a viewer.
  ({ imageIds } = await session.connectAndSync(registry.url));
  assert.deepEqual(Object.keys(imageIds).sort(), [
    'shop/api:1.0',
    'shop/web:1.0',
    'shop/web:2.0',
    'shop/worker:1.0',
  ]);
  const task = await session.adminApi('POST', `/projects/${env.projectId}/scan-tasks`, {
    scope: { kind: 'all' },
    acceptFee: true,
  });
  const done = await runTaskToEnd(env.service, env.projectId, String(task['id']));
  assert.equal(done.counts.succeeded, 4, JSON.stringify(done.counts));
  await session.addMember({ name: 'viewer', displayName: 'Vic Viewer', password: viewerPassword });
});

after(async () => {
  await session?.close();
  await env?.close();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

test('the vulnerability view lists a shared advisory once, with its four images and the first three', async () => {
  await page.goto(`${session.api.url}/projects/${env.projectId}/overview`);
  await page.waitForURL(/\/sign-in\?next=/);
  await session.signIn(session.adminName, adminPassword);
  await page.waitForURL(/\/overview/);
  await session.openMenu('Risk views');
  await page.getByRole('heading', { name: 'Risk views' }).waitFor();
  await page.getByRole('tab', { name: 'Vulnerabilities', selected: true }).waitFor();
  const row = findingRow(advisoryKey);
  await row.waitFor();
  assert.equal(await row.getByTestId('image-count').textContent(), '4');
  // Most severe first, then the most widespread.
  const table = page.getByRole('table', { name: 'Vulnerabilities across images' });
  assert.equal(await session.tableRows(table).first().getAttribute('data-row-key'), criticalKey);
  assert.equal(await findingRow(criticalKey).getByTestId('image-count').textContent(), '1');
  await findingRow(criticalKey).locator('[data-severity="critical"]').waitFor();
  await row.getByText('marked').first().waitFor();
  await row.getByText('0.3.5').first().waitFor();
  const first = row.getByTestId('first-images').getByRole('link');
  assert.equal(await first.count(), 3);
  await row.getByRole('button', { name: 'and 1 more' }).waitFor();
  // The counts per severity: one limit=1 request per severity, shown beside the chart.
  const chart = page.getByTestId('severity-chart');
  await chart.locator('canvas').waitFor();
  const view = await session.adminApi('GET', `/projects/${env.projectId}/risks/vulnerability?limit=1000`);
  const findings = view['findings'] as { key: string; severity: string }[];
  for (const level of ['critical', 'high', 'medium', 'low', 'unknown']) {
    const count = findings.filter((finding) => finding.severity === level).length;
    assert.equal(await chart.locator(`[data-count="${level}"]`).textContent(), String(count), level);
  }
  await session.tableSettled();
  await screenshot('1-vulnerabilities');
});

test('a finding expands to every image it affects; each links to its report', async () => {
  const row = findingRow(advisoryKey);
  await row.getByRole('button', { name: 'and 1 more' }).click();
  const affected = page.getByRole('table', { name: `Images affected by ${advisory} in marked 0.3.5` });
  const links = affected.getByRole('link');
  await links.nth(3).waitFor();
  assert.deepEqual(await links.allTextContents(), [
    'shop/api:1.0',
    'shop/web:1.0',
    'shop/web:2.0',
    'shop/worker:1.0',
  ]);
  assert.equal(await affected.locator('[data-handling="open"]').count(), 4);
  await affected.getByText('Single platform').first().waitFor();
  await screenshot('2-affected-images');
  await affected.getByRole('link', { name: 'shop/web:2.0' }).click();
  await page.waitForURL(
    `${session.api.url}/projects/${env.projectId}/images/${imageIds['shop/web:2.0']}?tab=vulnerabilities`,
  );
  await page.getByRole('heading', { name: 'shop/web:2.0' }).waitFor();
  await page.getByRole('table', { name: 'Vulnerabilities' }).getByText(advisory).first().waitFor();
  await page.goBack();
  await findingRow(advisoryKey).waitFor();
});

test('severity and search filters narrow the view and stay in the address', async () => {
  const view = await session.adminApi('GET', `/projects/${env.projectId}/risks/vulnerability?limit=1000`);
  const findings = view['findings'] as { key: string; severity: string }[];
  const severity = findings.find((finding) => finding.key === advisoryKey)?.severity;
  assert.ok(severity);
  const label = `${severity.slice(0, 1).toUpperCase()}${severity.slice(1)}`;
  await pick('Severity', label);
  await page.waitForURL(new RegExp(`[?&]severity=${severity}(&|$)`));
  await session.tableSettled();
  const table = page.getByRole('table', { name: 'Vulnerabilities across images' });
  const rows = session.tableRows(table);
  const expected = findings.filter((finding) => finding.severity === severity).length;
  await page.getByText(new RegExp(`of ${expected} vulnerabilities$`)).waitFor();
  assert.equal(await rows.count(), expected);
  assert.equal(await table.locator('[data-severity]').count(), expected);
  assert.equal(await table.locator(`[data-severity="${severity}"]`).count(), expected);
  await findingRow(advisoryKey).waitFor();
  assert.equal(await findingRow(criticalKey).count(), 0);

  await page.getByRole('search').getByLabel('Search', { exact: true }).fill(advisory);
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`[?&]search=${advisory}(&|$)`));
  await page.getByText(/of 1 vulnerabilities$/).waitFor();
  assert.equal(await rows.count(), 1);
  // The address holds the view: a reload shows the same.
  await page.reload();
  await findingRow(advisoryKey).waitFor();
  assert.equal(await page.getByRole('search').getByLabel('Search', { exact: true }).inputValue(), advisory);
  await page.getByText(/of 1 vulnerabilities$/).waitFor();
  await screenshot('3-filtered');
  await page.getByRole('button', { name: 'Reset filters' }).first().click();
  await page.getByText(new RegExp(`of ${findings.length} vulnerabilities$`)).waitFor();
});

test('sensitive information: the shared secret, masked, in two images; the handling filter after an ignore', async () => {
  await openTab('Sensitive information');
  await page.waitForURL(/[?&]kind=secret(&|$)/);
  const table = page.getByRole('table', { name: 'Sensitive information across images' });
  const row = session.tableRows(table).filter({ hasText: secretPath });
  await row.waitFor();
  assert.equal(await row.getByTestId('image-count').textContent(), '2');
  assert.match((await row.getByTestId('secret-excerpt').textContent()) ?? '', /GITHUB_TOKEN=ghp_/);
  assert.equal((await page.content()).includes(githubToken), false, 'the raw secret is never on the page');
  assert.equal(await row.locator('[data-handling="open"]').count(), 2);
  await screenshot('4-secrets');

  // Ignored in one image only, through the API (the Handling page's part).
  const view = await session.adminApi('GET', `/projects/${env.projectId}/risks/secret?search=.env`);
  const [group] = view['findings'] as { finding: { ruleId: string; path: string } }[];
  assert.ok(group);
  await session.adminApi('POST', `/projects/${env.projectId}/handling/secret-ignores`, {
    imageId: imageIds['shop/web:1.0'],
    ruleId: group.finding.ruleId,
    path: group.finding.path,
    reason: 'a revoked token kept in the old release',
  });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await row.locator('[data-handling="ignored"]').waitFor();
  await row.locator('[data-handling="open"]').waitFor();

  await pick('Handling', 'Ignored');
  await page.waitForURL(/[?&]handling=ignored(&|$)/);
  await session.tableSettled();
  const ignored = session.tableRows(table).filter({ hasText: secretPath });
  await ignored.getByTestId('image-count').filter({ hasText: /^1$/ }).waitFor();
  assert.deepEqual(await ignored.getByTestId('first-images').getByRole('link').allTextContents(), [
    'shop/web:1.0',
  ]);
  await ignored.locator('.ant-table-row-expand-icon').click();
  const affected = page.getByRole('table', {
    name: `Images affected by ${group.finding.ruleId} at ${secretPath}`,
  });
  await affected.getByRole('link', { name: 'shop/web:1.0' }).waitFor();
  assert.equal(await affected.getByRole('link').count(), 1);
  await affected.locator('[data-handling="ignored"]').waitFor();
  await screenshot('5-ignored');

  await page.getByRole('button', { name: 'Reset filters' }).first().click();
  await pick('Handling', 'Open');
  await page.waitForURL(/[?&]handling=open(&|$)/);
  await session.tableSettled();
  const open = session.tableRows(table).filter({ hasText: secretPath });
  await open.getByTestId('image-count').filter({ hasText: /^1$/ }).waitFor();
  assert.deepEqual(await open.getByTestId('first-images').getByRole('link').allTextContents(), [
    'shop/web:2.0',
  ]);
});

test('malicious files, baseline, software compliance and the software inventory', async () => {
  await openTab('Malicious files');
  await page.waitForURL(/[?&]kind=malware(&|$)/);
  let table = page.getByRole('table', { name: 'Malicious files across images' });
  const eicar = session.tableRows(table).filter({ hasText: 'tmp/eicar.com' });
  await eicar.waitFor();
  assert.equal(await eicar.getByTestId('image-count').textContent(), '2');
  await eicar.getByText(/EICAR/i).first().waitFor();
  // Every malicious file is critical: no chart of one bar.
  assert.equal(await page.getByTestId('severity-chart').count(), 0);
  await screenshot('6-malware');

  await openTab('Baseline');
  table = page.getByRole('table', { name: 'Baseline across images' });
  const root = session.tableRows(table).filter({ hasText: 'cis-4.1-non-root-user' });
  await root.waitFor();
  assert.equal(await root.getByTestId('image-count').textContent(), '4');
  // A number beside the chart narrows the view to its severity.
  const baseline = await session.adminApi('GET', `/projects/${env.projectId}/risks/baseline?limit=1000`);
  const checks = baseline['findings'] as { severity: string }[];
  const low = checks.filter((check) => check.severity === 'low').length;
  assert.ok(low > 0 && low < checks.length, JSON.stringify(checks));
  const lowCount = page.getByTestId('severity-chart').locator('[data-count="low"]');
  assert.equal(await lowCount.textContent(), String(low));
  await lowCount.click();
  await page.waitForURL(/[?&]kind=baseline&severity=low(&|$)/);
  await page.getByText(new RegExp(`of ${low} failed baseline checks$`)).waitFor();
  await session.tableSettled();
  assert.equal(await table.locator('[data-severity="low"]').count(), low);
  assert.equal(await table.locator('[data-severity]').count(), low);
  await screenshot('7-baseline');

  await openTab('Software compliance');
  table = page.getByRole('table', { name: 'Software compliance across images' });
  const agpl = session.tableRows(table).filter({ hasText: 'ghostwriter' });
  await agpl.waitFor();
  assert.equal(await agpl.getByTestId('image-count').textContent(), '2');
  await screenshot('8-compliance');

  await openTab('Software inventory');
  await page.waitForURL(/[?&]kind=inventory(&|$)/);
  assert.equal(await page.getByRole('search').getByLabel('Severity', { exact: true }).count(), 0);
  assert.equal(await page.getByTestId('severity-chart').count(), 0);
  await page.getByRole('search').getByLabel('Search', { exact: true }).fill('marked');
  await page.keyboard.press('Enter');
  await page.getByText(/of 1 packages$/).waitFor();
  table = page.getByRole('table', { name: 'Software inventory across images' });
  const marked = session.tableRows(table).filter({ hasText: 'marked' });
  assert.equal(await marked.getByTestId('image-count').textContent(), '4');
  await marked.getByText('MIT').waitFor();
  await screenshot('9-inventory');
});

test('a viewer reads the risk views (images:get); the page has no write action to refuse', async () => {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in/);
  await page.goto(`${risksUrl}?kind=secret`);
  await page.waitForURL(/\/sign-in\?next=/);
  await session.signIn('viewer', viewerPassword);
  await page.waitForURL(/\/risks\?kind=secret/);
  const table = page.getByRole('table', { name: 'Sensitive information across images' });
  await session.tableRows(table).filter({ hasText: secretPath }).waitFor();
  const frame = page.getByRole('region', { name: 'Risk views' });
  assert.equal(await frame.locator('[data-disabled-reason]').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Export…' }).isDisabled(), false);
  await screenshot('10-viewer');
});

test('the browser asked nothing of any other host, and logged no error', () => {
  assertCleanBrowsing(session);
});
