import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startApiServer, type ApiServer } from '@drydock/server';
import { sessionCall, signInToApi, type ApiSession } from '../harness/api-session.ts';
import { startTestService, type TestService } from '../harness/service.ts';
import { ensureConsoleBuilt, repositoryRoot, type ConsoleBuild } from './console-build.ts';

/**
 * What every console end-to-end test needs: the built console served by the real API over a real
 * service, Debian's chromium driven by playwright-core, the requests and errors the browser makes
 * recorded, an admin session for setting up through the API what a test does not click, and the
 * small helpers the pages share (sign in, open a menu entry, wait for a toast or a settled table).
 * Each test file starts its own; screenshots go to test-artifacts/console/ (git-ignored).
 */

export const screenshotDir = join(repositoryRoot, 'test-artifacts/console');
export const adminPassword = 'admin-password-for-the-console';

export interface ConsoleBrowser {
  readonly build: ConsoleBuild;
  readonly env: TestService;
  readonly api: ApiServer;
  readonly adminName: string;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Every URL the browser requested. */
  readonly requests: string[];
  /** Console errors and uncaught page errors not excused by `expectErrors`. */
  readonly errors: string[];
  /** Excuses console errors matching `pattern` until called again with undefined. */
  expectErrors(pattern: RegExp | undefined): void;
  /** Calls the API as the admin (a session of its own, not the browser's). */
  adminApi(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  /** Creates a user with a role in the test service's project (through the API); returns its id. */
  addMember(user: MemberToAdd): Promise<string>;
  /**
   * Connects the registry at `url` as `local` (through the API), syncs it and returns the
   * connection's id and the images it found, by `repository:tag`.
   */
  connectAndSync(
    url: string,
  ): Promise<{ readonly connectionId: string; readonly imageIds: Record<string, string> }>;
  screenshot(name: string): Promise<void>;
  signIn(name: string, password: string): Promise<void>;
  openMenu(label: string): Promise<void>;
  toast(text: string | RegExp): Promise<void>;
  tableRows(scope?: Locator): Locator;
  tableSettled(): Promise<void>;
  close(): Promise<void>;
}

export interface MemberToAdd {
  readonly name: string;
  readonly displayName: string;
  readonly password: string;
  /** Default `viewer`. */
  readonly role?: string;
}

export async function startConsoleBrowser(
  options: { readonly env?: TestService } = {},
): Promise<ConsoleBrowser> {
  const build = await ensureConsoleBuilt();
  await mkdir(screenshotDir, { recursive: true });
  const env = options.env ?? (await startTestService());
  const api = await startApiServer({
    service: env.service,
    port: 0,
    adminPassword,
    logger: false,
    consoleDir: build.dist,
  });
  const adminName = api.bootstrap?.userName ?? 'admin';
  let session: ApiSession | undefined;
  const browser = await chromium.launch({
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
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const requests: string[] = [];
  const errors: string[] = [];
  let expected: RegExp | undefined;
  context.on('request', (request) => requests.push(request.url()));
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = `${message.text()} (${message.location().url})`;
    if (!expected?.test(text)) errors.push(text);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.stack ?? error.message}`));

  const adminApi: ConsoleBrowser['adminApi'] = async (method, path, body) => {
    session ??= await signInToApi(api.url, adminName, adminPassword);
    return sessionCall(session, method, path, body);
  };
  // Every table on the page (an expanded row holds one of its own) has stopped loading.
  const tableSettled = async () => {
    await page.waitForFunction(() => !document.querySelector('.ant-table-wrapper .ant-spin-spinning'));
  };
  return {
    build,
    env,
    api,
    adminName,
    browser,
    context,
    page,
    requests,
    errors,
    expectErrors: (pattern) => {
      expected = pattern;
    },
    adminApi,
    addMember: async (user) => {
      const created = await adminApi('POST', '/users', {
        name: user.name,
        displayName: user.displayName,
        password: user.password,
      });
      const id = String(created['id']);
      await adminApi('PUT', `/projects/${env.projectId}/members/${id}`, { role: user.role ?? 'viewer' });
      return id;
    },
    connectAndSync: async (url) => {
      const project = `/projects/${env.projectId}`;
      const connection = await adminApi('POST', `${project}/registries`, {
        name: 'local',
        type: 'registry',
        url,
      });
      await adminApi('POST', `${project}/sync-tasks`, {});
      await env.service.sync.settle();
      const list = await adminApi('GET', `${project}/images`);
      const images = list['images'] as { id: string; repository: string; tag: string }[];
      const imageIds = Object.fromEntries(
        images.map((image) => [`${image.repository}:${image.tag}`, image.id]),
      );
      return { connectionId: String(connection['id']), imageIds };
    },
    screenshot: async (name) => {
      await page.screenshot({
        path: join(screenshotDir, `${name}.png`),
        fullPage: true,
        animations: 'disabled',
      });
    },
    signIn: async (name, password) => {
      await page.getByLabel('User name').fill(name);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
    },
    openMenu: async (label) => {
      const menu = page.getByRole('menu', { name: 'Console pages' });
      await menu.getByText(label, { exact: true }).click();
      await menu.locator('.ant-menu-item-selected', { hasText: label }).waitFor();
    },
    toast: async (text) => {
      await page.locator('.ant-message').getByText(text).first().waitFor();
    },
    tableRows: (scope) => (scope ?? page).locator('.ant-table-tbody tr.ant-table-row'),
    tableSettled,
    close: async () => {
      await context.close();
      await browser.close();
      await api.close();
      if (!options.env) await env.close();
    },
  };
}

/** The browser asked no other host than the service, and logged no error. */
export function assertCleanBrowsing(session: ConsoleBrowser): void {
  const origin = new URL(session.api.url).origin;
  const elsewhere = session.requests.filter(
    (url) => !url.startsWith('data:') && new URL(url).origin !== origin,
  );
  assert.deepEqual(elsewhere, []);
  assert.deepEqual(session.errors, []);
}
