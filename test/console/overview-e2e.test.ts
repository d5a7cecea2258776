import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { importSource } from '@drydock/engine';
import { fake } from '../../packages/engine/src/analyzer/secret/rule-vectors.ts';
import { recordRiskTrend } from '../../packages/server/src/results/risk-trend.ts';
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
 * The overview page's finding cards in Debian's chromium, against the real service (its workers
 * scan), the real HTTP API and a real registry. Three images share the npm package `marked` at a
 * version the Node.js security advisories name (real OSV records of ../shared/vulndata); two of
 * them hold `serialize-to-js` with a critical advisory, one a GitHub-token-shaped secret and the
 * EICAR test file. The images are scanned in two rounds, and the trend is recorded between them
 * by the service's own recorder at instants two days and one day back (as if the service had run
 * then), so the chart has three days. The page shows the findings by type and severity (both
 * measures), the trend, the most vulnerable images and packages with their links, and this
 * month's usage; a viewer sees the same findings and the usage card's reason instead of usage.
 */

const vulndata = join(import.meta.dirname, '..', '..', '..', 'shared', 'vulndata');
const githubToken = `ghp_${fake('b62', 36)}`;
const viewerPassword = 'viewer-password-for-the-overview';
const dayMs = 86_400_000;

let work: string;
let registry: TestRegistry;
let env: TestService;
let session: ConsoleBrowser;
let page: Page;
let overviewUrl: string;
/** Image ids by `repository:tag`. */
let imageIds: Record<string, string>;

interface FindingCount {
  readonly kind: string;
  readonly severity: string;
  readonly findings: number;
  readonly imageFindings: number;
}

interface FindingOverview {
  readonly counts: readonly FindingCount[];
  readonly topPackages: readonly { readonly name: string; readonly advisories: number }[];
  readonly topImages: readonly { readonly image: { readonly id: string } }[];
}

const npmPackage = (name: string, version: string) =>
  `${JSON.stringify({ name, version, license: 'MIT' })}\n`;

async function pushImages(): Promise<void> {
  const pusher = new RegistryPusher(registry);
  const marked = { 'srv/app/node_modules/marked/package.json': npmPackage('marked', '0.3.5') };
  const serialize = {
    'srv/app/node_modules/serialize-to-js/package.json': npmPackage('serialize-to-js', '0.5.0'),
  };
  await pusher.pushImage(
    'shop/web',
    '1.0',
    await buildTestImage({
      layers: [
        {
          ...marked,
          ...serialize,
          'srv/app/.env': `GITHUB_TOKEN=${githubToken}\n`,
          'tmp/eicar.com': eicarString,
        },
      ],
    }),
  );
  await pusher.pushImage('shop/api', '1.0', await buildTestImage({ layers: [{ ...marked, ...serialize }] }));
  await pusher.pushImage(
    'shop/worker',
    '1.0',
    await buildTestImage({ layers: [{ ...marked, 'srv/app/worker': 'worker\n' }] }),
  );
}

async function scan(imageNames: readonly string[]): Promise<void> {
  const task = await session.adminApi('POST', `/projects/${env.projectId}/scan-tasks`, {
    scope: { kind: 'images', imageIds: imageNames.map((name) => imageIds[name]) },
    acceptFee: true,
  });
  const done = await runTaskToEnd(env.service, env.projectId, String(task['id']));
  assert.equal(done.counts.succeeded, imageNames.length, JSON.stringify(done.counts));
}

const screenshot = (name: string) => session.screenshot(`overview-${name}`);
const card = (testId: string): Locator => page.getByTestId(testId);
const cellText = async (scope: Locator, key: string) =>
  ((await scope.locator(`[data-count="${key}"]`).textContent()) ?? '').trim();

async function findingOverview(): Promise<FindingOverview> {
  return (await session.adminApi(
    'GET',
    `/projects/${env.projectId}/overview/findings`,
  )) as unknown as FindingOverview;
}

const countIn = (overview: FindingOverview, kind: string, severity: string) =>
  overview.counts.find((count) => count.kind === kind && count.severity === severity);

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-overview-e2e-'));
  const database = join(work, 'vulndb.sqlite');
  await importSource(database, join(vulndata, 'nodejs-security-wg/npm.jsonl'));
  registry = await startRegistry({ auth: 'none' });
  await pushImages();
  env = await startTestService({ engines: { vulnerabilityDatabasePath: database } });
  session = await startConsoleBrowser({ env });
  page = session.page;
  overviewUrl = `${session.api.url}/projects/${env.projectId}/overview`;

  // What this page does not do: the registry, its sync, the scans, a viewer.
  ({ imageIds } = await session.connectAndSync(registry.url));
  assert.deepEqual(Object.keys(imageIds).sort(), ['shop/api:1.0', 'shop/web:1.0', 'shop/worker:1.0']);

  // The trend as the service's recorder would have kept it had it run on the two days before:
  // nothing scanned two days ago, the web image yesterday, all three today.
  const now = Date.now();
  await recordRiskTrend(env.service.db, env.projectId, new Date(now - 2 * dayMs));
  await scan(['shop/web:1.0']);
  await recordRiskTrend(env.service.db, env.projectId, new Date(now - dayMs));
  await scan(['shop/api:1.0', 'shop/worker:1.0']);

  await session.addMember({ name: 'viewer', displayName: 'Olga Overview', password: viewerPassword });
});

after(async () => {
  await session?.close();
  await env?.close();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

test('findings by risk type and severity: the real counts, as distinct findings and as image-findings', async () => {
  await page.goto(overviewUrl);
  await page.waitForURL(/\/sign-in\?next=/);
  await session.signIn(session.adminName, adminPassword);
  await page.waitForURL(overviewUrl);
  const findings = card('findings-card');
  await findings.getByRole('table').waitFor();

  const overview = await findingOverview();
  // The risk views count the same findings one by one.
  const risks = await session.adminApi('GET', `/projects/${env.projectId}/risks/vulnerability?limit=1`);
  const vulnerabilities = overview.counts
    .filter((count) => count.kind === 'vulnerability')
    .reduce((sum, count) => sum + count.findings, 0);
  assert.equal(vulnerabilities, risks['total']);
  assert.ok(vulnerabilities >= 2, JSON.stringify(overview.counts));
  assert.ok((countIn(overview, 'vulnerability', 'critical')?.findings ?? 0) >= 1);

  for (const count of overview.counts)
    assert.equal(await cellText(findings, `${count.kind}-${count.severity}`), String(count.findings));
  assert.equal(await cellText(findings, 'vulnerability-total'), String(vulnerabilities));
  // One EICAR file in one image, one token in one image.
  assert.equal(await cellText(findings, 'malware-critical'), '1');
  assert.equal(await cellText(findings, 'secret-total'), '1');
  assert.equal(await findings.locator('[role="img"] canvas').count(), 1);
  await screenshot('1-findings');

  // As image-findings: marked's advisories are in all three images, serialize-to-js's in two.
  await findings.getByRole('radiogroup', { name: 'Count findings as' }).getByText('Image-findings').click();
  const imageFindings = overview.counts
    .filter((count) => count.kind === 'vulnerability')
    .reduce((sum, count) => sum + count.imageFindings, 0);
  await findings.locator('[data-count="vulnerability-total"]', { hasText: String(imageFindings) }).waitFor();
  assert.ok(imageFindings >= 2 * vulnerabilities, `${imageFindings} image-findings`);
  for (const count of overview.counts)
    assert.equal(await cellText(findings, `${count.kind}-${count.severity}`), String(count.imageFindings));
  await screenshot('2-image-findings');
});

test('the trend: three recorded days, today agreeing with the findings, and where the record starts', async () => {
  const trendCard = card('trend-card');
  await trendCard.locator('[role="img"] canvas').waitFor();
  const overview = await findingOverview();
  const today = trendCard.getByRole('list', { name: 'Vulnerabilities today' });
  for (const severity of ['critical', 'high', 'medium', 'low', 'unknown'])
    assert.equal(
      ((await today.locator(`[data-count="trend-${severity}"]`).textContent()) ?? '').trim(),
      String(countIn(overview, 'vulnerability', severity)?.findings ?? 0),
    );
  // Two days ago nothing was scanned: the change is every vulnerability found since.
  const vulnerabilities = overview.counts
    .filter((count) => count.kind === 'vulnerability')
    .reduce((sum, count) => sum + count.findings, 0);
  const firstDay = new Date(Date.now() - 2 * dayMs);
  assert.match((await card('trend-change').textContent()) ?? '', new RegExp(`^\\+${vulnerabilities} since `));
  const since = (await trendCard.getByTestId('trend-since').textContent()) ?? '';
  assert.match(since, /^Recorded once a day \(UTC days\) since /);
  assert.match(since, new RegExp(String(firstDay.getUTCFullYear())));
  // Another risk type: the secret arrived yesterday with the web image.
  await trendCard.getByLabel('Risk type').click();
  await page
    .locator('.ant-select-dropdown .ant-select-item-option', { hasText: 'Sensitive information' })
    .click();
  await trendCard.getByRole('list', { name: 'Sensitive information today' }).waitFor();
  assert.match((await card('trend-change').textContent()) ?? '', /^\+1 since /);
  await screenshot('3-trend');
  await trendCard.getByLabel('Risk type').click();
  await page.locator('.ant-select-dropdown .ant-select-item-option', { hasText: 'Vulnerabilities' }).click();
});

test('the most vulnerable images and packages, linking to the report and to the risk views', async () => {
  const images = card('top-images-card');
  const rows = session.tableRows(images);
  await rows.first().waitFor();
  // api and web hold the same vulnerabilities (critical first), then by name; worker has fewer.
  assert.deepEqual(await rows.locator('a').allTextContents(), [
    'shop/api:1.0',
    'shop/web:1.0',
    'shop/worker:1.0',
  ]);
  await rows.first().getByText('Critical').waitFor();

  const packages = card('top-packages-card');
  const packageRows = session.tableRows(packages);
  assert.deepEqual(await packageRows.locator('a').allTextContents(), ['serialize-to-js', 'marked']);
  const serialize = packageRows.filter({ hasText: 'serialize-to-js' });
  await serialize.getByText('Critical').waitFor();
  assert.equal((await serialize.locator('[data-images="serialize-to-js"]').textContent())?.trim(), '≥ 2');
  assert.equal((await packageRows.locator('[data-images="marked"]').textContent())?.trim(), '≥ 3');
  const markedLink = packages.getByRole('link', { name: 'marked', exact: true });
  const href = new URL((await markedLink.getAttribute('href')) ?? '', session.api.url);
  assert.equal(href.pathname, `/projects/${env.projectId}/risks`);
  assert.equal(href.searchParams.get('kind'), 'vulnerability');
  assert.equal(href.searchParams.get('search'), 'npm marked');
  await screenshot('4-top-images-packages');

  await images.getByRole('link', { name: 'shop/web:1.0' }).click();
  await page.waitForURL(`${overviewUrl.replace(/overview$/, '')}images/${imageIds['shop/web:1.0']}`);
  await page.getByRole('heading', { name: 'shop/web:1.0' }).waitFor();
  await page.goBack();
  await page.waitForURL(overviewUrl);
});

test("this month's usage: the three scans, the free quota and the amount", async () => {
  const usage = card('usage-month-card');
  await usage.locator('[data-usage="scans"]').waitFor();
  const month = await session.adminApi('GET', `/projects/${env.projectId}/usage`);
  assert.equal(Number(month['repositoryScans']) + Number(month['ciScans']), 3);
  assert.equal((await usage.locator('[data-usage="scans"]').textContent())?.trim(), '3');
  assert.equal(
    (await usage.locator('[data-count="usage-free-used"]').textContent())?.trim(),
    String(month['freeUsed']),
  );
  assert.equal(
    (await usage.locator('[data-count="usage-billed"]').textContent())?.trim(),
    String(month['billedScans']),
  );
  await usage.getByRole('link', { name: 'All months' }).waitFor();
  await card('database-card').getByText('advisories').waitFor();
  await screenshot('5-page');
});

test('a viewer reads the findings; the usage card says why it shows no usage', async () => {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(`${session.api.url}/sign-in`);
  await session.signIn('viewer', viewerPassword);
  await page.waitForURL(overviewUrl);
  await page.getByTestId('user-menu').getByText('Olga Overview').waitFor();
  await card('findings-card').getByRole('table').waitFor();
  await session.tableRows(card('top-images-card')).first().waitFor();
  const notice = card('usage-month-card').locator('[data-reason]');
  await notice.waitFor();
  assert.match(
    (await notice.getAttribute('data-reason')) ?? '',
    /does not allow you to see usage and cost \(needs billing:get\)/,
  );
  assert.equal(await card('usage-month-card').getByRole('link', { name: 'All months' }).count(), 0);
  await screenshot('6-viewer');
});

test('the browser asked nothing of any other host, and logged no error', () => {
  assertCleanBrowsing(session);
});
