import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { runDrydock } from '../harness/drydock-cli.ts';
import { buildTestImage, RegistryPusher } from '../harness/registry-push.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import {
  adminPassword,
  assertCleanBrowsing,
  startConsoleBrowser,
  type ConsoleBrowser,
} from './console-browser.ts';

/**
 * The task manager's CI scan tab in Debian's chromium against the real service and API: the real
 * CLI scans a real registry's image holding a GitHub token and uploads the report with an API token
 * made through the API; the link it prints opens the scan's detail after the sign-in, with the
 * counts and the secret masked as stored (the raw token is nowhere on the page); the list is
 * filtered by reference and paged; the JSON download is the stored report; a viewer sees the tab
 * and reads the scans too.
 */

const viewerPassword = 'viewer-password-for-ci-scans';
/** A GitHub token shape the built-in rules find; built here so no whole token sits in the source. */
const rawSecret = `ghp_${'Zq8W'.repeat(9)}`;

let registry: TestRegistry;
let session: ConsoleBrowser;
let page: Page;
let projectId: string;
let work: string;
let reference: string;
let ciScanId: string;
let consoleLink: string;

const drawer = () => page.locator('.ant-drawer-open');
const ciTable = () => page.getByTestId('ci-scan-table');

before(async () => {
  registry = await startRegistry();
  const image = await buildTestImage({
    layers: [{ 'etc/hello.txt': 'hello\n' }, { 'app/.env': `GITHUB_TOKEN=${rawSecret}\n` }],
  });
  await new RegistryPusher(registry).pushImage('ci/app', 'v1', image);
  reference = `${registry.host}/ci/app:v1`;

  session = await startConsoleBrowser();
  page = session.page;
  projectId = session.env.projectId;
  await session.addMember({ name: 'viewer', displayName: 'Vic Viewer', password: viewerPassword });

  // The pipeline's token, made through the API, in a file as a CI system's secret would be.
  const token = String((await session.adminApi('POST', '/me/tokens', { name: 'pipeline' }))['token']);
  work = await mkdtemp(join(tmpdir(), 'drydock-ci-console-'));
  const tokenFile = join(work, 'token');
  await writeFile(tokenFile, `${token}\n`);
  await chmod(tokenFile, 0o600);

  const upload = await runDrydock(
    [
      'image',
      '--no-progress',
      '-f',
      'json',
      '--server',
      session.api.url,
      '--token-file',
      tokenFile,
      reference,
    ],
    {
      env: {
        DRYDOCK_CACHE_DIR: join(work, 'cache'),
        DATABASE_URL: '',
        DRYDOCK_SERVER: '',
        DRYDOCK_TOKEN: '',
      },
    },
  );
  assert.equal(upload.code, 0, upload.stderr);
  assert.ok(!upload.stderr.includes(token), 'the CLI never prints the token');
  const line = /report uploaded as CI scan (\S+): (\S+)/.exec(upload.stderr);
  assert.ok(line, upload.stderr);
  ciScanId = line[1] ?? '';
  consoleLink = line[2] ?? '';

  // A second image's upload, so the filter and the pager have something to leave out.
  const stored = await session.adminApi('GET', `/projects/${projectId}/ci-scans/${ciScanId}`);
  const other = structuredClone(stored['report']) as { artifact: { name: string } };
  other.artifact.name = `${registry.host}/ci/worker:v7`;
  await session.adminApi('POST', `/projects/${projectId}/ci-scans`, { report: other });
});

after(async () => {
  await session?.close();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

test('the link the CLI prints opens the scan after the sign-in: counts, the masked secret, the scanner', async () => {
  assert.equal(consoleLink, `${session.api.url}/projects/${projectId}/tasks?tab=ci&ciScan=${ciScanId}`);
  await page.goto(consoleLink);
  await page.waitForURL(/\/sign-in\?next=/);
  await session.signIn(session.adminName, adminPassword);
  await page.waitForURL(consoleLink);

  await drawer().getByText(`CI scan of ${reference}`).waitFor();
  const counts = drawer().getByTestId('ci-scan-counts');
  assert.equal(await counts.locator('[data-count="secret"]').textContent(), '1');
  assert.equal(await counts.locator('[data-count="malware"]').textContent(), '0');
  assert.equal(await counts.locator('[data-count="vulnerability-critical"]').textContent(), '0');
  assert.equal(await counts.locator('[role="img"] canvas').count(), 1, 'the counts chart');
  const info = drawer().getByTestId('ci-scan-info');
  await info.getByText('linux/amd64').waitFor();
  assert.match((await info.textContent()) ?? '', new RegExp(`Uploaded by${session.adminName}`));
  assert.match((await info.textContent()) ?? '', /Scannerdrydock \S+/);
  assert.match((await info.getByText(/^sha256:[0-9a-f]{64}$/).textContent()) ?? '', /^sha256:/);

  await drawer().getByRole('tab', { name: 'Secrets (1)' }).click();
  const masked = drawer().getByTestId('ci-masked-secret');
  await masked.waitFor();
  const shown = (await masked.textContent()) ?? '';
  assert.match(shown, /^ghp_\*+$/, 'the secret as the CLI masked it');
  await drawer().getByTestId('ci-scan-secrets').getByText('app/.env:1').waitFor();
  assert.ok(!(await page.content()).includes(rawSecret), 'the raw token is nowhere on the page');
  await session.screenshot('ci-scans-1-detail');

  // The download is the stored report, named after the scan.
  const downloading = page.waitForEvent('download');
  await drawer().getByTestId('ci-scan-download').click();
  const download = await downloading;
  assert.equal(download.suggestedFilename(), `drydock-ci-scan-${ciScanId}.json`);
  const path = await download.path();
  const report = JSON.parse(await readFile(path, 'utf8')) as {
    artifact: { name: string };
    images: { secrets: { secret: string }[] }[];
  };
  assert.equal(report.artifact.name, reference);
  assert.equal(report.images[0]?.secrets[0]?.secret, shown);

  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await page.locator('.ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
  const closed = new URL(page.url());
  assert.equal(closed.searchParams.get('tab'), 'ci');
  assert.equal(closed.searchParams.has('ciScan'), false);
});

test('the list shows the uploads newest first, the reference filter finds one, the pager pages, a row opens it', async () => {
  await session.tableSettled();
  const rows = session.tableRows(ciTable());
  await rows.nth(1).waitFor();
  assert.equal(await rows.count(), 2);
  assert.match((await rows.nth(0).textContent()) ?? '', /ci\/worker:v7/);
  const mine = rows.filter({ hasText: reference });
  await mine.getByText('linux/amd64').waitFor();
  await mine.getByText('Secrets 1').waitFor();
  await mine.getByText(session.adminName).waitFor();
  assert.match((await mine.locator('[data-digest]').textContent()) ?? '', /^sha256:[0-9a-f]{12}$/);
  await page.getByText('2 CI scans').waitFor();
  await session.screenshot('ci-scans-2-list');

  await page.getByRole('searchbox', { name: 'Image reference' }).fill('CI/APP');
  await page.getByRole('searchbox', { name: 'Image reference' }).press('Enter');
  await page.waitForURL((url) => url.searchParams.get('reference') === 'CI/APP');
  await session.tableSettled();
  await page.getByText('1 CI scans').waitFor();
  assert.equal(await rows.count(), 1);
  await rows.first().getByText(reference).waitFor();

  await page.getByRole('searchbox', { name: 'Image reference' }).fill('nothing-like-it');
  await page.getByRole('searchbox', { name: 'Image reference' }).press('Enter');
  await ciTable().getByText('No CI scan matches these filters').waitFor();
  await session.screenshot('ci-scans-3-no-match');
  await ciTable().getByRole('button', { name: /Reset/ }).click();
  await page.waitForURL((url) => !url.searchParams.has('reference'));
  await rows.nth(1).waitFor();

  // Nine more uploads: eleven in all, ten a page, so the oldest (the CLI's) is alone on page 2.
  const stored = await session.adminApi('GET', `/projects/${projectId}/ci-scans/${ciScanId}`);
  for (let index = 0; index < 9; index += 1) {
    const copy = structuredClone(stored['report']) as { artifact: { name: string } };
    copy.artifact.name = `${registry.host}/ci/batch-${index}:v1`;
    await session.adminApi('POST', `/projects/${projectId}/ci-scans`, { report: copy });
  }
  await page.goto(`${session.api.url}/projects/${projectId}/tasks?tab=ci&size=10`);
  await page.getByText('11 CI scans').waitFor();
  await rows.nth(9).waitFor();
  assert.equal(await rows.count(), 10);
  assert.equal(await rows.filter({ hasText: reference }).count(), 0);
  await page.locator('.ant-pagination-item-2').click();
  await page.waitForURL((url) => url.searchParams.get('ciPage') === '2');
  await session.tableSettled();
  await rows.first().getByText(reference).waitFor();
  assert.equal(await rows.count(), 1);
  await session.screenshot('ci-scans-4-page-2');
  await rows
    .first()
    .getByRole('button', { name: `Details of CI scan ${reference}` })
    .click();
  await page.waitForURL(new RegExp(`ciScan=${ciScanId}`));
  assert.equal(new URL(page.url()).searchParams.get('ciPage'), '2', 'the page stays behind the detail');
  await drawer().getByTestId('ci-scan-counts').waitFor();
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await page.waitForURL((url) => !url.searchParams.has('ciScan'));
});

test('a viewer sees the CI scans tab and reads a scan', async () => {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(`${session.api.url}/sign-in`);
  await session.signIn('viewer', viewerPassword);
  await page.waitForURL(/\/overview$/);
  await session.openMenu('Tasks');
  await page.getByRole('tab', { name: 'CI scans' }).click();
  await page.waitForURL((url) => url.searchParams.get('tab') === 'ci');
  const rows = session.tableRows(ciTable());
  // Twenty a page, the task manager's default: all eleven on one.
  await rows.nth(10).waitFor();
  await rows
    .filter({ hasText: reference })
    .getByRole('button', { name: `Details of CI scan ${reference}` })
    .click();
  await drawer().getByTestId('ci-scan-counts').waitFor();
  const download = drawer().getByTestId('ci-scan-download');
  assert.equal(
    await download.getAttribute('href'),
    `/api/v1/projects/${projectId}/ci-scans/${ciScanId}/report`,
  );
  assert.equal(await download.locator('xpath=ancestor-or-self::*[@disabled]').count(), 0);
  assert.ok(!(await page.content()).includes(rawSecret));
  await session.screenshot('ci-scans-5-viewer');
});

test('the browser asked nothing of any other host, and logged no error', () => {
  assertCleanBrowsing(session);
});
