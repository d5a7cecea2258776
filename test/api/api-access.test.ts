import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { apiRoutes, type ApiRoute } from '../../packages/server/src/api/index.ts';
import { csrfTokenOf, json, startTestApi, type TestApi } from './api-harness.ts';

/**
 * Access control over the whole route table: a permission matrix generated from `apiRoutes`
 * (every route × every test user × own, foreign and unknown project), CSRF on cookie writes, and
 * project isolation for object ids (another project's registry, image, task, export, ... answers 404
 * through this project's routes).
 */

type Expected = 'allowed' | 401 | 403 | 404;

/** The route's URL with the project and every other id filled in. */
function urlOf(route: ApiRoute, projectId: string): string {
  return route.url.replace(':projectId', projectId).replace(/:[A-Za-z]+/g, () => randomUUID());
}

function writes(route: ApiRoute): boolean {
  return route.method !== 'GET';
}

describe('access control', () => {
  let api: TestApi;
  const unknownProject = randomUUID();

  before(async () => {
    api = await startTestApi();
  });
  after(async () => {
    await api?.close();
  });

  /** What the matrix expects for `user` on `route` in `projectId`. */
  function expected(user: string | undefined, route: ApiRoute, projectId: string): Expected {
    // Public to the access check, but the receiver authenticates by the connection's own secret.
    if (route.operationId === 'receiveRegistryEvents') return 401;
    if (route.access === 'public') return 'allowed';
    if (user === undefined) return 401;
    const holds: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
      admin: { [api.projectA]: ['*'] },
      operator: {
        [api.projectA]: [
          'images:list',
          'images:get',
          'images:set',
          'containers:set',
          'registries:list',
          'registries:set',
          'policies:set',
          'results:handle',
        ],
      },
      viewer: { [api.projectA]: ['images:list', 'images:get', 'registries:list'] },
      billing: { [api.projectA]: ['billing:get'] },
      containers: { [api.projectA]: ['images:list', 'containers:set'] },
      outsider: { [api.projectB]: ['*'] },
      root: { [api.projectA]: ['*'], [api.projectB]: ['*'] },
    };
    const projects = holds[user] ?? {};
    if (route.url.includes(':projectId')) {
      const granted = projects[projectId];
      if (!granted) return 404;
      if (!route.permission) return 'allowed';
      return granted.includes('*') || route.permission.some((permission) => granted.includes(permission))
        ? 'allowed'
        : 403;
    }
    if (route.access === 'service-admin') return user === 'root' ? 'allowed' : 403;
    // The matrix calls with API tokens; token and password management needs a session.
    if (route.access === 'session') return 403;
    return 'allowed';
  }

  test('every route declares exactly one access rule, and permission routes are project routes', () => {
    assert.ok(apiRoutes.length > 40, `only ${apiRoutes.length} routes`);
    const seen = new Set<string>();
    for (const route of apiRoutes) {
      const key = `${route.method} ${route.url}`;
      assert.ok(!seen.has(key), `${key} is declared twice`);
      seen.add(key);
      assert.notEqual(route.permission === undefined, route.access === undefined, key);
      if (route.permission) {
        assert.ok(route.url.includes('/:projectId'), key);
        assert.ok(route.permission.length > 0, key);
      }
    }
    const stop = apiRoutes.find((route) => route.url.endsWith('/scan-tasks/:taskId/stop'));
    assert.deepEqual(stop?.permission, ['images:set', 'containers:set']);
  });

  test('the permission matrix: every route × every user × own, foreign and unknown project', async () => {
    const users = [undefined, 'admin', 'operator', 'viewer', 'billing', 'containers', 'outsider', 'root'];
    const failures: string[] = [];
    let cells = 0;
    for (const route of apiRoutes) {
      const projects = route.url.includes(':projectId') ? [api.projectA, api.projectB, unknownProject] : [''];
      for (const projectId of projects) {
        for (const user of users) {
          const want = expected(user, route, projectId);
          const response = await api.call(user, {
            method: route.method,
            url: urlOf(route, projectId),
            ...(writes(route) ? { payload: {} } : {}),
          });
          cells += 1;
          const body = response.headers['content-type']?.includes('json') ? json(response) : {};
          const projectHidden =
            response.statusCode === 404 &&
            body['code'] === 'not_found' &&
            (body['details'] as { what?: string } | undefined)?.what === 'project';
          const ok =
            want === 'allowed'
              ? ![401, 403].includes(response.statusCode) && response.statusCode < 500 && !projectHidden
              : want === 404
                ? projectHidden
                : response.statusCode === want;
          if (!ok)
            failures.push(
              `${route.method} ${route.url} as ${user ?? 'anonymous'} in ${projectId === api.projectA ? 'A' : projectId === api.projectB ? 'B' : projectId ? 'unknown' : '-'}: want ${want}, got ${response.statusCode} ${response.body.slice(0, 200)}`,
            );
          if (want === 401) assert.equal(body['code'], 'unauthenticated');
          if (want === 403) assert.ok(['forbidden'].includes(String(body['code'])), response.body);
        }
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(cells > 500, `${cells} cells`);
  });

  test('a foreign project answers exactly like one that does not exist', async () => {
    const foreign = await api.call('admin', {
      method: 'GET',
      url: `/api/v1/projects/${api.projectB}/registries`,
    });
    const missing = await api.call('admin', {
      method: 'GET',
      url: `/api/v1/projects/${unknownProject}/registries`,
    });
    assert.equal(foreign.statusCode, 404);
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(
      json(foreign),
      JSON.parse(missing.body.replaceAll(unknownProject, api.projectB)) as Record<string, unknown>,
    );
  });

  test('the project list shows only the caller’s projects', async () => {
    const mine = json(await api.call('viewer', { method: 'GET', url: '/api/v1/projects' }));
    assert.deepEqual(
      (mine['projects'] as { id: string }[]).map((project) => project.id),
      [api.projectA],
    );
    const theirs = json(await api.call('outsider', { method: 'GET', url: '/api/v1/projects' }));
    assert.deepEqual(
      (theirs['projects'] as { id: string }[]).map((project) => project.id),
      [api.projectB],
    );
  });

  describe('objects of another project answer 404 through this project’s routes', () => {
    const ids: Record<string, string> = {};

    before(async () => {
      const { service } = api.env;
      const connection = await service.connections.create(api.projectB, {
        name: 'theirs',
        type: 'registry',
        url: 'http://127.0.0.1:9',
      });
      ids['registry'] = connection.id;
      const imageId = randomUUID();
      const now = new Date();
      await service.db
        .insertInto('repositoryImage')
        .values({
          id: imageId,
          projectId: api.projectB,
          connectionId: connection.id,
          namespace: '',
          repository: 'theirs/app',
          tag: 'v1',
          pullRegistry: '127.0.0.1:9',
          pullRepository: 'theirs/app',
          digest: `sha256:${'a'.repeat(64)}`,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          size: 1,
          platforms: '[]' as never,
          pushedAt: now,
          syncedAt: now,
          deletedAt: null,
          scanStatus: 'not_scanned',
          failureCode: null,
          failureMessage: null,
          lastScanAt: null,
          riskCounts: null,
          riskLevel: null,
          createdAt: now,
        })
        .execute();
      ids['image'] = imageId;
      const task = await service.tasks.start(
        api.projectB,
        { scope: { kind: 'images', imageIds: [imageId] }, acceptFee: true },
        'outsider',
      );
      ids['task'] = task.id;
      ids['sync'] = (await service.sync.sync(api.projectB, { trigger: 'manual', connectionIds: [] })).id;
      ids['export'] = await service.results.startExport({
        projectId: api.projectB,
        kind: 'vulnerability',
        format: 'csv',
      });
      ids['ignore'] = (
        await service.results.ignoreSecret({
          projectId: api.projectB,
          imageId: null,
          ruleId: 'github-pat',
          path: 'etc/token',
          reason: 'test data',
          userName: 'outsider',
        })
      ).id;
    });

    const probes: readonly {
      readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
      readonly path: string;
      readonly payload?: object;
    }[] = [
      { method: 'GET', path: 'registries/{registry}' },
      { method: 'PATCH', path: 'registries/{registry}', payload: { name: 'mine-now' } },
      { method: 'POST', path: 'registries/{registry}/test' },
      { method: 'DELETE', path: 'registries/{registry}' },
      { method: 'GET', path: 'images/{image}' },
      { method: 'GET', path: 'images/{image}/report/vulnerabilities' },
      { method: 'GET', path: 'scan-tasks/{task}' },
      { method: 'GET', path: 'scan-tasks/{task}/images' },
      { method: 'POST', path: 'scan-tasks/{task}/stop' },
      { method: 'GET', path: 'sync-tasks/{sync}' },
      { method: 'GET', path: 'exports/{export}' },
      { method: 'GET', path: 'exports/{export}/download' },
      { method: 'DELETE', path: 'handling/secret-ignores/{ignore}' },
      { method: 'POST', path: 'sync-tasks', payload: { registryIds: ['{registry}'] } },
    ];

    function fill(text: string): string {
      return text.replace(/\{(\w+)\}/g, (_match, name: string) => ids[name] ?? name);
    }

    test('every probe is 404 for project A’s admin and works for project B’s', async () => {
      for (const probe of probes) {
        const payload = probe.payload
          ? (JSON.parse(fill(JSON.stringify(probe.payload))) as object)
          : undefined;
        const mine = await api.call('admin', {
          method: probe.method,
          url: `/api/v1/projects/${api.projectA}/${fill(probe.path)}`,
          ...(payload ? { payload } : {}),
        });
        assert.equal(mine.statusCode, 404, `${probe.method} ${probe.path}: ${mine.body}`);
        assert.equal(json(mine)['code'], 'not_found');
        assert.ok(!mine.body.includes('theirs'), mine.body);
      }
      // The same ids through their own project: reachable (the objects exist; only the project differs).
      for (const probe of probes.filter(
        (entry) => entry.method === 'GET' && !entry.path.endsWith('download'),
      )) {
        const theirs = await api.call('outsider', {
          method: 'GET',
          url: `/api/v1/projects/${api.projectB}/${fill(probe.path)}`,
        });
        assert.equal(theirs.statusCode, 200, `${probe.path}: ${theirs.body}`);
      }
      // Nothing of B changed through A's routes.
      const registry = await api.env.service.connections.get(api.projectB, ids['registry'] ?? '');
      assert.equal(registry.name, 'theirs');
      assert.equal((await api.env.service.tasks.get(api.projectB, ids['task'] ?? '')).status, 'running');
    });

    test('ids of another project inside a body do not reach its objects', async () => {
      const scan = await api.call('admin', {
        method: 'POST',
        url: `/api/v1/projects/${api.projectA}/scan-tasks`,
        payload: { scope: { kind: 'images', imageIds: [ids['image']] }, acceptFee: true },
      });
      assert.equal(scan.statusCode, 422, scan.body);
      assert.equal(json(scan)['code'], 'nothing_to_scan');
      const handling = await api.call('admin', {
        method: 'POST',
        url: `/api/v1/projects/${api.projectA}/handling/vulnerabilities`,
        payload: {
          advisoryId: 'CVE-2024-0001',
          action: 'allowlist',
          scope: { kind: 'images', imageIds: [ids['image']] },
          reason: 'probe',
        },
      });
      assert.equal(handling.statusCode, 400, handling.body);
      const ignore = await api.call('admin', {
        method: 'POST',
        url: `/api/v1/projects/${api.projectA}/handling/secret-ignores`,
        payload: { imageId: ids['image'], ruleId: 'x', path: 'y', reason: 'probe' },
      });
      assert.equal(ignore.statusCode, 404, ignore.body);
    });
  });

  describe('CSRF on writes authenticated by the session cookie', () => {
    const url = () => `/api/v1/projects/${api.projectA}/registries`;
    const payload = { name: `csrf-${randomUUID().slice(0, 8)}`, type: 'registry', url: 'http://127.0.0.1:9' };

    test('a session write without the token is refused before anything changes', async () => {
      const before = (await api.env.service.connections.list(api.projectA)).length;
      const missing = await api.call('admin', {
        method: 'POST',
        url: url(),
        headers: { 'x-test-session': '1' },
        payload,
      });
      assert.equal(missing.statusCode, 403);
      assert.equal(json(missing)['code'], 'csrf_required');
      const wrong = await api.call('admin', {
        method: 'POST',
        url: url(),
        headers: { 'x-test-session': '1', 'x-csrf-token': csrfTokenOf('viewer') },
        payload,
      });
      assert.equal(wrong.statusCode, 403);
      assert.equal((await api.env.service.connections.list(api.projectA)).length, before);
    });

    test('with the token the write goes through; reads and token-authenticated writes need none', async () => {
      const read = await api.call('admin', { method: 'GET', url: url(), headers: { 'x-test-session': '1' } });
      assert.equal(read.statusCode, 200);
      const written = await api.call('admin', {
        method: 'POST',
        url: url(),
        headers: { 'x-test-session': '1', 'x-csrf-token': csrfTokenOf('admin') },
        payload,
      });
      assert.equal(written.statusCode, 201, written.body);
      const byToken = await api.call('admin', {
        method: 'POST',
        url: url(),
        payload: { ...payload, name: `${payload.name}-token` },
      });
      assert.equal(byToken.statusCode, 201, byToken.body);
    });
  });

  test('changes are audited with the actor and address; reads are not', async () => {
    api.audits.length = 0;
    await api.call('viewer', { method: 'GET', url: `/api/v1/projects/${api.projectA}/registries` });
    assert.equal(api.audits.length, 0);
    const created = await api.call('operator', {
      method: 'POST',
      url: `/api/v1/projects/${api.projectA}/registries`,
      payload: {
        name: 'audited',
        type: 'registry',
        url: 'http://127.0.0.1:9',
        credentials: { kind: 'basic', username: 'robot', password: 'audit-secret-pw' },
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(api.audits.length, 1);
    const [entry] = api.audits;
    assert.deepEqual(entry?.actor, {
      userId: api.userIds.get('operator'),
      userName: 'operator',
      address: '127.0.0.1',
    });
    assert.equal(entry?.change.action, 'registry.create');
    assert.equal(entry?.change.projectId, api.projectA);
    assert.equal(entry?.change.objectId, json(created)['id']);
    assert.ok(!JSON.stringify(entry).includes('audit-secret-pw'));
    assert.ok(!JSON.stringify(entry).includes('robot'));
    // A refused change is not audited.
    await api.call('viewer', {
      method: 'DELETE',
      url: `/api/v1/projects/${api.projectA}/registries/${String(json(created)['id'])}`,
    });
    assert.equal(api.audits.length, 1);
  });
});
