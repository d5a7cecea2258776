import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { apiRoutes, type ApiRoute } from '../../packages/server/src/api/index.ts';
import { csrfTokenOf, json, startTestApi, type TestApi } from './api-harness.ts';

/**
 * Bad input on every route answers 400 in the one error shape; oversized, malformed and
 * mistyped bodies are refused; unknown fields are refused everywhere; SQL and path tricks in
 * filters and ids do nothing; the service's typed errors map to their statuses.
 */

function assertErrorShape(body: Record<string, unknown>, code: string): void {
  assert.equal(body['code'], code, JSON.stringify(body));
  assert.equal(typeof body['message'], 'string');
  for (const key of Object.keys(body)) assert.ok(['code', 'message', 'details'].includes(key), key);
}

describe('bad input', () => {
  let api: TestApi;
  let registries: string;

  before(async () => {
    api = await startTestApi({ bodyLimit: 64 * 1024 });
    registries = `/api/v1/projects/${api.projectA}/registries`;
  });
  after(async () => {
    await api?.close();
  });

  /** Who may call the route, and how: token and password management needs a session with its CSRF token. */
  const callerOf = (route: ApiRoute) => (route.access === 'service-admin' ? 'root' : 'admin');
  const sessionHeaders = (route: ApiRoute): Record<string, string> =>
    route.access === 'session' ? { 'x-test-session': '1', 'x-csrf-token': csrfTokenOf('admin') } : {};

  const filled = (route: ApiRoute, projectId: string) =>
    route.url.replace(':projectId', projectId).replace(/:[A-Za-z]+/g, () => randomUUID());

  test('every route with a body refuses a body of the wrong shape and one with an unknown field', async () => {
    const withBody = apiRoutes.filter((route) => route.body !== undefined);
    assert.ok(withBody.length >= 10, `${withBody.length} routes with bodies`);
    for (const route of withBody) {
      const url = filled(route, api.projectA);
      const user = callerOf(route);
      // The registry-event receiver is public but checks its connection's secret before it reads a
      // body, so a caller without the secret learns nothing, not even which shape is expected.
      if (route.operationId === 'receiveRegistryEvents') {
        const response = await api.call(undefined, {
          method: route.method,
          url,
          headers: { 'content-type': 'application/json' },
          payload: '[1,2]',
        });
        assert.equal(response.statusCode, 401, response.body);
        continue;
      }
      for (const payload of ['[1,2]', '"text"', '42', 'null', '{"unknownField":true}']) {
        const response = await api.call(user, {
          method: route.method,
          url,
          headers: { 'content-type': 'application/json', ...sessionHeaders(route) },
          payload,
        });
        assert.equal(response.statusCode, 400, `${route.method} ${route.url} ${payload}: ${response.body}`);
        const body = json(response);
        assertErrorShape(body, 'invalid_request');
        assert.equal((body['details'] as { location?: string }).location, 'body');
      }
    }
  });

  test('every route with a query refuses an unknown parameter', async () => {
    const withQuery = apiRoutes.filter((route) => route.querystring !== undefined);
    assert.ok(withQuery.length >= 10);
    for (const route of withQuery) {
      const response = await api.call(callerOf(route), {
        method: route.method,
        url: `${filled(route, api.projectA)}?zzz=1`,
        headers: sessionHeaders(route),
      });
      assert.equal(response.statusCode, 400, `${route.url}: ${response.body}`);
      assertErrorShape(json(response), 'invalid_request');
    }
  });

  test('every route with an object id refuses ids holding control characters or path tricks', async () => {
    const withIds = apiRoutes.filter((route) => /:(?!projectId)[A-Za-z]+/.test(route.url));
    assert.ok(withIds.length >= 10);
    for (const route of withIds) {
      for (const bad of ['%00', 'a%0Ab', '..%2F..%2Fetc', `${'x'.repeat(300)}`]) {
        const url = route.url.replace(':projectId', api.projectA).replace(/:[A-Za-z]+/g, bad);
        const response = await api.call(callerOf(route), {
          method: route.method,
          url,
          headers: sessionHeaders(route),
          ...(route.method === 'GET' ? {} : { payload: {} }),
        });
        // The router refuses over-long parameters itself (414), in the same shape.
        assert.ok([400, 414].includes(response.statusCode), `${route.method} ${url}: ${response.body}`);
        assertErrorShape(json(response), 'invalid_request');
      }
    }
  });

  test('schema violations name each field at fault', async () => {
    const response = await api.call('admin', {
      method: 'POST',
      url: registries,
      payload: { name: '', type: 'ftp', url: 'file:///etc/passwd', maxConcurrentPulls: 1000 },
    });
    assert.equal(response.statusCode, 400);
    const body = json(response);
    assertErrorShape(body, 'invalid_request');
    const issues = (body['details'] as { issues: { path: string; message: string }[] }).issues;
    assert.deepEqual(issues.map((issue) => issue.path).sort(), ['maxConcurrentPulls', 'name', 'type', 'url']);
    assert.ok(issues.every((issue) => issue.message.length > 0));
  });

  test('NUL characters in text are refused before they reach the database', async () => {
    const response = await api.call('admin', {
      method: 'POST',
      url: registries,
      payload: { name: 'a\u0000b', type: 'registry', url: 'http://127.0.0.1:9' },
    });
    assert.equal(response.statusCode, 400, response.body);
    assertErrorShape(json(response), 'invalid_request');
    const query = await api.call('viewer', {
      method: 'GET',
      url: `/api/v1/projects/${api.projectA}/images?name=a%00b`,
    });
    assert.equal(query.statusCode, 400, query.body);
  });

  test('unknown fields are refused at every depth', async () => {
    const nested = await api.call('admin', {
      method: 'POST',
      url: registries,
      payload: {
        name: 'nested',
        type: 'registry',
        url: 'http://127.0.0.1:9',
        credentials: { kind: 'basic', username: 'u', password: 'p', domain: 'x' },
      },
    });
    assert.equal(nested.statusCode, 400, nested.body);
    const scope = await api.call('admin', {
      method: 'POST',
      url: `/api/v1/projects/${api.projectA}/estimates`,
      payload: { scope: { kind: 'all', everything: true } },
    });
    assert.equal(scope.statusCode, 400, scope.body);
  });

  test('malformed JSON, an empty JSON body and a foreign content type are refused', async () => {
    const malformed = await api.call('admin', {
      method: 'POST',
      url: registries,
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "x", ',
    });
    assert.equal(malformed.statusCode, 400);
    assertErrorShape(json(malformed), 'invalid_request');
    assert.ok(!malformed.body.includes('"name"'), 'the body is not echoed');
    const empty = await api.call('admin', {
      method: 'POST',
      url: registries,
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    assert.equal(empty.statusCode, 400);
    assertErrorShape(json(empty), 'invalid_request');
    const xml = await api.call('admin', {
      method: 'POST',
      url: registries,
      headers: { 'content-type': 'application/xml' },
      payload: '<registry/>',
    });
    assert.equal(xml.statusCode, 415);
    assertErrorShape(json(xml), 'unsupported_media_type');
  });

  test('a body over the limit is refused with 413; the settings route takes larger word lists', async () => {
    const large = await api.call('admin', {
      method: 'POST',
      url: registries,
      payload: { name: 'x'.repeat(100 * 1024), type: 'registry', url: 'http://127.0.0.1:9' },
    });
    assert.equal(large.statusCode, 413);
    assertErrorShape(json(large), 'payload_too_large');
    const words = Array.from({ length: 20_000 }, (_, index) => `word-${index}`);
    const settings = await api.call('admin', {
      method: 'PATCH',
      url: `/api/v1/projects/${api.projectA}/scan-settings`,
      payload: { weakPasswords: words },
    });
    assert.equal(settings.statusCode, 200, settings.body.slice(0, 300));
    assert.equal((json(settings)['weakPasswords'] as string[]).length, words.length);
    const audit = api.audits.at(-1);
    assert.equal(audit?.change.action, 'scan_settings.update');
    assert.ok(!JSON.stringify(audit).includes('word-1'), 'the audit counts the words, never lists them');
  });

  test('SQL and LIKE tricks in filters are plain text', async () => {
    for (const name of ["%' OR 1=1 --", '%', '_', '\\', "'; drop table project; --"]) {
      const response = await api.call('viewer', {
        method: 'GET',
        url: `/api/v1/projects/${api.projectA}/images?name=${encodeURIComponent(name)}`,
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(json(response)['total'], 0);
    }
    const tasks = await api.call('viewer', {
      method: 'GET',
      url: `/api/v1/projects/${api.projectA}/scan-tasks?name=${encodeURIComponent("%' OR '1'='1")}`,
    });
    assert.equal(tasks.statusCode, 200);
    assert.deepEqual(json(tasks)['scanTasks'], []);
    assert.equal((await api.env.service.projects.list()).length, 2);
  });

  test('list filters take repeated or comma-separated values and refuse unknown ones', async () => {
    const base = `/api/v1/projects/${api.projectA}/images`;
    for (const query of ['status=failed,queued', 'status=failed&status=queued', 'registryType=harbor']) {
      const response = await api.call('viewer', { method: 'GET', url: `${base}?${query}` });
      assert.equal(response.statusCode, 200, `${query}: ${response.body}`);
    }
    for (const query of [
      'status=failed,bogus',
      'status=bogus&status=failed',
      'limit=0',
      'limit=5000',
      'offset=-1',
      'updatedAfter=yesterday',
    ]) {
      const response = await api.call('viewer', { method: 'GET', url: `${base}?${query}` });
      assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
      assertErrorShape(json(response), 'invalid_request');
    }
  });

  test('unknown routes and methods answer 404 in the error shape', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/nothing'],
      ['DELETE', '/api/v1/projects'],
      ['GET', '/api/v2/projects'],
    ] as const) {
      const response = await api.call('admin', { method, url });
      assert.equal(response.statusCode, 404, `${method} ${url}`);
      assertErrorShape(json(response), 'not_found');
    }
  });

  test('the service’s typed errors keep their codes', async () => {
    const noEstimate = await api.call('operator', {
      method: 'POST',
      url: `/api/v1/projects/${api.projectA}/scan-tasks`,
      payload: { scope: { kind: 'all' } },
    });
    assert.equal(noEstimate.statusCode, 409);
    assertErrorShape(json(noEstimate), 'estimate_required');
    const nothing = await api.call('operator', {
      method: 'POST',
      url: `/api/v1/projects/${api.projectA}/scan-tasks`,
      payload: { scope: { kind: 'all' }, acceptFee: true },
    });
    assert.equal(nothing.statusCode, 422);
    assertErrorShape(json(nothing), 'nothing_to_scan');
    const badZone = await api.call('admin', {
      method: 'PATCH',
      url: `/api/v1/projects/${api.projectA}`,
      payload: { timeZone: 'Mars/Olympus' },
    });
    assert.equal(badZone.statusCode, 400);
    assertErrorShape(json(badZone), 'invalid_request');
    const duplicate = await api.call('root', {
      method: 'POST',
      url: '/api/v1/projects',
      payload: { name: 'default' },
    });
    assert.equal(duplicate.statusCode, 409);
    assertErrorShape(json(duplicate), 'conflict');
    const noPolicy = await api.call('viewer', {
      method: 'GET',
      url: `/api/v1/projects/${api.projectA}/policy`,
    });
    assert.equal(noPolicy.statusCode, 404);
    assertErrorShape(json(noPolicy), 'not_found');
  });
});
