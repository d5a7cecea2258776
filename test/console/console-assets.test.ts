import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { consoleContentSecurityPolicy } from '../../packages/server/src/api/console-assets.ts';
import { json, startTestApi, type TestApi } from '../api/api-harness.ts';

/**
 * How the service serves the console's files (server api/console-assets.ts), over a real service
 * and a directory laid out like a Vite build: index.html for the console's own routes, hashed
 * assets cached for good, the Content-Security-Policy on every file, and the service's own paths
 * (the API, health, readiness, metrics) exactly as without the console.
 */

const indexHtml =
  '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';
const script = 'console.log("console");';

let dir: string;
let api: TestApi;
/** What adding an undeclared route did, tried before the instance became ready. */
let undeclaredRoute: unknown;

function header(response: LightMyRequestResponse, name: string): string | undefined {
  const value = response.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function assertIndex(response: LightMyRequestResponse): void {
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(response.body, indexHtml);
  assert.match(header(response, 'content-type') ?? '', /^text\/html/);
  assert.equal(header(response, 'cache-control'), 'no-cache');
  assert.equal(header(response, 'content-security-policy'), consoleContentSecurityPolicy);
  assert.equal(header(response, 'x-content-type-options'), 'nosniff');
}

function assertJsonNotFound(response: LightMyRequestResponse): void {
  assert.equal(response.statusCode, 404, response.body);
  assert.match(header(response, 'content-type') ?? '', /^application\/json/);
  assert.equal(json(response)['code'], 'not_found');
}

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-console-assets-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), indexHtml);
  await writeFile(join(dir, 'assets/index-abc123.js'), script);
  await writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(dir, '.env'), 'SECRET=1');
  api = await startTestApi({ consoleDir: dir });
  try {
    api.app.get('/extra', async () => 'extra');
  } catch (error) {
    undeclaredRoute = error;
  }
});

after(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the console files', () => {
  test('/ and every client-side route that asks for HTML get index.html, never cached', async () => {
    assertIndex(await api.call(undefined, { method: 'GET', url: '/' }));
    assertIndex(await api.call(undefined, { method: 'GET', url: '/sign-in', headers: html }));
    assertIndex(
      await api.call(undefined, { method: 'GET', url: '/projects/p1/images?status=failed', headers: html }),
    );
    assertIndex(await api.call(undefined, { method: 'GET', url: '/index.html' }));
  });

  test('hashed assets are cached for a year; other files are revalidated', async () => {
    const asset = await api.call(undefined, { method: 'GET', url: '/assets/index-abc123.js' });
    assert.equal(asset.statusCode, 200);
    assert.equal(asset.body, script);
    assert.match(header(asset, 'content-type') ?? '', /javascript/);
    assert.equal(header(asset, 'cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(header(asset, 'content-security-policy'), consoleContentSecurityPolicy);
    const icon = await api.call(undefined, { method: 'GET', url: '/favicon.svg' });
    assert.equal(icon.statusCode, 200);
    assert.match(header(icon, 'content-type') ?? '', /^image\/svg\+xml/);
    assert.equal(header(icon, 'cache-control'), 'no-cache');
    // The validators let a browser revalidate without downloading again.
    const etag = header(icon, 'etag');
    assert.ok(etag);
    const again = await api.call(undefined, {
      method: 'GET',
      url: '/favicon.svg',
      headers: { 'if-none-match': etag },
    });
    assert.equal(again.statusCode, 304);
  });

  test('the policy allows this origin only, and no inline or evaluated script', () => {
    const directives = new Map(
      consoleContentSecurityPolicy.split('; ').map((directive) => {
        const [name = '', ...sources] = directive.split(' ');
        return [name, sources] as const;
      }),
    );
    assert.deepEqual(directives.get('default-src'), ["'self'"]);
    assert.deepEqual(directives.get('script-src'), ["'self'"]);
    assert.deepEqual(directives.get('connect-src'), ["'self'"]);
    assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
    for (const sources of directives.values())
      for (const source of sources) assert.match(source, /^('self'|'none'|'unsafe-inline'|data:)$/);
  });

  test('a missing file that is not a page, hidden files and escapes out of the directory answer the JSON 404', async () => {
    assertJsonNotFound(await api.call(undefined, { method: 'GET', url: '/assets/missing.js' }));
    assertJsonNotFound(await api.call(undefined, { method: 'GET', url: '/.env' }));
    assertJsonNotFound(await api.call(undefined, { method: 'GET', url: '/%2e%2e/%2e%2e/etc/passwd' }));
    assertJsonNotFound(await api.call(undefined, { method: 'GET', url: '/..%2f..%2fetc%2fpasswd' }));
    assertJsonNotFound(await api.call(undefined, { method: 'GET', url: '/%00' }));
    const hiddenAsPage = await api.call(undefined, { method: 'GET', url: '/.env', headers: html });
    assert.notEqual(hiddenAsPage.body, 'SECRET=1');
  });

  test("the service's own paths keep their answers", async () => {
    assertJsonNotFound(
      await api.call(undefined, { method: 'GET', url: '/api/v1/no-such-route', headers: html }),
    );
    assertJsonNotFound(await api.call(undefined, { method: 'GET', url: '/api', headers: html }));
    assertJsonNotFound(await api.call(undefined, { method: 'GET', url: '/healthz/extra', headers: html }));
    const unauthenticated = await api.call(undefined, {
      method: 'GET',
      url: '/api/v1/projects',
      headers: html,
    });
    assert.equal(unauthenticated.statusCode, 401);
    assert.equal(json(unauthenticated)['code'], 'unauthenticated');
    const health = await api.call(undefined, { method: 'GET', url: '/healthz', headers: html });
    assert.deepEqual(json(health), { status: 'ok' });
    const ready = await api.call(undefined, { method: 'GET', url: '/readyz' });
    assert.deepEqual(json(ready), { status: 'ready' });
    const metrics = await api.call(undefined, {
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer wrong' },
    });
    assert.equal(metrics.statusCode, 200);
    assert.match(metrics.body, /# HELP/);
    const docs = await api.call(undefined, { method: 'GET', url: '/api/v1/docs', headers: html });
    assert.ok([200, 302].includes(docs.statusCode), `docs: ${docs.statusCode}`);
    // Only GET: writes to console paths are the API's 404.
    assertJsonNotFound(await api.call(undefined, { method: 'POST', url: '/', payload: {} }));
  });

  test('the OpenAPI document leaves the console out', async () => {
    const document = json(await api.call(undefined, { method: 'GET', url: '/api/v1/openapi.json' }));
    const paths = Object.keys(document['paths'] ?? {});
    assert.ok(paths.length > 10);
    assert.ok(
      paths.every(
        (path) => path.startsWith('/api/v1/') || ['/healthz', '/readyz', '/metrics'].includes(path),
      ),
      paths.join(' '),
    );
  });

  test('routes outside the table are still refused', () => {
    assert.ok(undeclaredRoute instanceof Error);
    assert.match(undeclaredRoute.message, /GET \/extra is not declared in the route table/);
  });
});

describe('without a console build', () => {
  test('the service answers the API only', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'drydock-console-empty-'));
    const bare = await startTestApi({ consoleDir: empty });
    try {
      assertJsonNotFound(await bare.call(undefined, { method: 'GET', url: '/', headers: html }));
      assert.deepEqual(json(await bare.call(undefined, { method: 'GET', url: '/healthz' })), {
        status: 'ok',
      });
    } finally {
      await bare.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
