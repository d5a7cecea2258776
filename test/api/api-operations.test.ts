import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  apiRoutes,
  buildApi,
  defineRoute,
  RouteDeclarationError,
} from '../../packages/server/src/api/index.ts';
import { z } from 'zod';
import { json, startTestApi, type TestApi } from './api-harness.ts';

/**
 * Operations and the API description: health and readiness (503 once the database is gone), the
 * metrics and their optional token, request ids, the OpenAPI document (every declared route in
 * it), the documentation page, and the declaration rules that keep a route from escaping the
 * access check.
 */

interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Readonly<
    Record<string, Readonly<Record<string, { operationId?: string; security?: unknown[] }>>>
  >;
  readonly components: {
    readonly securitySchemes: Readonly<Record<string, unknown>>;
    readonly schemas: object;
  };
}

describe('operations', () => {
  let api: TestApi;

  before(async () => {
    api = await startTestApi({ metricsToken: 'scrape-token' });
  });
  after(async () => {
    await api?.close();
  });

  test('health and readiness are public', async () => {
    const health = await api.call(undefined, { method: 'GET', url: '/healthz' });
    assert.equal(health.statusCode, 200);
    assert.deepEqual(json(health), { status: 'ok' });
    const ready = await api.call(undefined, { method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(json(ready), { status: 'ready' });
  });

  test('a sane x-request-id is kept and returned; anything else is replaced', async () => {
    const kept = await api.call(undefined, {
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'proxy-42.a:b' },
    });
    assert.equal(kept.headers['x-request-id'], 'proxy-42.a:b');
    const replaced = await api.call(undefined, {
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'evil\tline {"level":60}' },
    });
    assert.match(String(replaced.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const errored = await api.call(undefined, { method: 'GET', url: '/api/v1/projects' });
    assert.equal(errored.statusCode, 401);
    assert.match(String(errored.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  test('metrics need the metrics token when one is set, and hold the HTTP and queue series', async () => {
    const refused = await api.call(undefined, { method: 'GET', url: '/metrics' });
    assert.equal(refused.statusCode, 401);
    assert.equal(json(refused)['code'], 'unauthenticated');
    const wrong = await api.call(undefined, {
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer nope' },
    });
    assert.equal(wrong.statusCode, 401);
    await api.call('viewer', { method: 'GET', url: `/api/v1/projects/${api.projectA}/images` });
    const scraped = await api.call(undefined, {
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer scrape-token' },
    });
    assert.equal(scraped.statusCode, 200);
    assert.match(String(scraped.headers['content-type']), /^text\/plain/);
    const text = scraped.body;
    assert.match(
      text,
      /drydock_http_request_duration_seconds_count\{route="\/api\/v1\/projects\/:projectId\/images",method="GET",status="200"\} 1/,
    );
    assert.match(text, /drydock_scan_queue_depth\{queue="scan-manual",state="waiting"\} 0/);
    assert.match(text, /drydock_scan_task_images\{status="succeeded"\} 0/);
    assert.match(text, /drydock_registry_paused_connections 0/);
    assert.match(text, /drydock_registry_pulls_total\{registry_type="harbor"\} 0/);
    assert.match(text, /drydock_registry_rate_limited_total 0/);
    assert.match(text, /drydock_dispatch_holds_total\{reason="speed_limit"\} 0/);
    assert.ok(!text.includes(api.projectA), 'labels hold no project ids');
  });

  test('the OpenAPI document lists every declared route with its operation id and security', async () => {
    const response = await api.call(undefined, { method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(response.statusCode, 200);
    const document = response.json<OpenApiDocument>();
    assert.match(document.openapi, /^3\.0\.\d$/);
    assert.deepEqual(Object.keys(document.components.securitySchemes).sort(), [
      'bearerToken',
      'csrfToken',
      'sessionCookie',
    ]);
    const operationIds = new Set<string>();
    for (const route of apiRoutes) {
      const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
      const operation = document.paths[path]?.[route.method.toLowerCase()];
      assert.ok(operation, `${route.method} ${route.url} is not in the document`);
      assert.equal(operation.operationId, route.operationId);
      assert.ok(!operationIds.has(route.operationId), `operation id ${route.operationId} twice`);
      operationIds.add(route.operationId);
      if (route.access === 'public') assert.deepEqual(operation.security, []);
      else assert.ok((operation.security ?? []).length > 0, `${route.url} names no security`);
    }
    const documented = Object.values(document.paths).reduce((sum, item) => sum + Object.keys(item).length, 0);
    assert.equal(documented, apiRoutes.length, 'nothing else is documented');
    // Every schema reference resolves.
    const names = new Set(Object.keys(document.components.schemas));
    for (const match of response.body.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
      assert.ok(names.has(match[1] ?? ''), `dangling reference ${match[1]}`);
    assert.ok(!response.body.includes('fingerprint'), 'secret findings document no fingerprint');
  });

  test('the documentation page is served', async () => {
    const page = await api.call(undefined, { method: 'GET', url: '/api/v1/docs/' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /swagger-ui/i);
  });

  test('a route cannot be declared without exactly one access rule, nor registered beside the table', async () => {
    const base = {
      method: 'GET' as const,
      operationId: 'x',
      summary: 'x',
      tags: [],
      reply: z.object({}),
      handler: async () => ({}),
    };
    assert.throws(
      () => defineRoute({ ...base, url: '/api/v1/x', permission: 'images:list' }),
      RouteDeclarationError,
    );
    assert.throws(
      () => defineRoute({ ...base, url: '/api/v1/projects/:projectId/x', access: 'public' }),
      RouteDeclarationError,
    );
    assert.throws(
      () =>
        defineRoute({
          ...base,
          url: '/api/v1/projects/:projectId/x',
          // Both at once: refused even where the types are bypassed.
          ...({ permission: 'images:list', access: 'authenticated' } as unknown as {
            access: 'authenticated';
          }),
        }),
      RouteDeclarationError,
    );
    const app = await buildApi({
      service: api.env.service,
      access: api.access,
      auditLog: api.auditLog,
      authenticate: async () => undefined,
      audit: async () => undefined,
      logger: false,
    });
    try {
      assert.throws(() => app.get('/api/v1/backdoor', async () => 'open'), /not declared/);
    } finally {
      await app.close();
    }
  });

  test('readiness fails with 503 and unexpected failures answer 500 without details once the database is gone', async () => {
    await api.env.service.close();
    const ready = await api.call(undefined, { method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.equal(json(ready)['code'], 'not_ready');
    const broken = await api.call('viewer', {
      method: 'GET',
      url: `/api/v1/projects/${api.projectA}/registries`,
    });
    assert.equal(broken.statusCode, 500);
    const body = json(broken);
    assert.equal(body['code'], 'internal_error');
    assert.deepEqual(Object.keys(body).sort(), ['code', 'message']);
    assert.ok(!/pglite|closed|kysely|at .*\.ts/i.test(broken.body), broken.body);
  });
});
