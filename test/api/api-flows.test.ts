import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fake } from '../../packages/engine/src/analyzer/secret/rule-vectors.ts';
import { eicarString } from '../harness/clamd.ts';
import { RegistryPusher, buildTestImage } from '../harness/registry-push.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { runTaskToEnd } from '../harness/service.ts';
import { json, startTestApi, type TestApi } from './api-harness.ts';

/**
 * The main flows through the API alone, against a real registry with Basic authentication: connect
 * (with a known password) and test, sync, list and filter images, estimate and scan, follow and
 * stop tasks, read the report sections and the risk views, handle findings, set the policy and
 * the scan settings, export and download, read the usage. Afterwards no response of the whole run
 * may hold the registry password or a raw secret found in an image.
 */

const registryPassword = 'Registry-Pa55word-for-api-test';
const githubToken = `ghp_${fake('b62', 36)}`;

describe('the API’s main flows against a real registry', () => {
  let registry: TestRegistry;
  let api: TestApi;
  let base: string;
  let registryId: string;
  let images: Record<string, string>;

  before(async () => {
    registry = await startRegistry({
      auth: 'basic',
      users: [{ username: 'robot', password: registryPassword }],
    });
    const pusher = new RegistryPusher(registry);
    const leaky = { 'srv/app/.env': `GITHUB_TOKEN=${githubToken}\n` };
    await pusher.pushImage(
      'app/web',
      '1.0',
      await buildTestImage({ layers: [leaky, { 'srv/app/v': '1\n' }] }),
    );
    await pusher.pushImage(
      'app/web',
      '2.0',
      await buildTestImage({ layers: [leaky, { 'srv/app/v': '2\n' }] }),
    );
    await pusher.pushImage(
      'tools/eicar',
      'v1',
      await buildTestImage({ layers: [{ 'tmp/eicar.com': eicarString }] }),
    );
    await pusher.pushImage(
      'app/clean',
      '1',
      await buildTestImage({ layers: [{ 'etc/clean': 'nothing\n' }] }),
    );
    api = await startTestApi();
    base = `/api/v1/projects/${api.projectA}`;
  });
  after(async () => {
    await api?.close();
    await registry?.stop();
  });

  test('connect the registry: the password goes in and never comes out; the test and the sync work', async () => {
    const created = await api.call('operator', {
      method: 'POST',
      url: `${base}/registries`,
      payload: {
        name: 'local',
        type: 'registry',
        url: registry.url,
        credentials: { kind: 'basic', username: 'robot', password: registryPassword },
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const connection = json(created);
    registryId = String(connection['id']);
    assert.equal(connection['hasCredentials'], true);
    assert.ok(!('credentials' in connection));
    const tested = await api.call('operator', {
      method: 'POST',
      url: `${base}/registries/${registryId}/test`,
    });
    assert.equal(tested.statusCode, 200, tested.body);
    assert.equal(json(tested)['ok'], true);
    const got = json(await api.call('viewer', { method: 'GET', url: `${base}/registries/${registryId}` }));
    assert.equal(got['status'], 'ok');

    const synced = await api.call('operator', { method: 'POST', url: `${base}/sync-tasks`, payload: {} });
    assert.equal(synced.statusCode, 202, synced.body);
    assert.equal(json(synced)['status'], 'running');
    await api.env.service.sync.settle();
    const sync = json(
      await api.call('viewer', { method: 'GET', url: `${base}/sync-tasks/${String(json(synced)['id'])}` }),
    );
    assert.equal(sync['status'], 'finished');
    assert.deepEqual(sync['counts'], { added: 4, changed: 0, deleted: 0, unchanged: 0, skipped: 0 });
    const listed = json(
      await api.call('viewer', { method: 'GET', url: `${base}/sync-tasks?status=finished&trigger=manual` }),
    );
    assert.deepEqual(
      (listed['syncTasks'] as { id: string }[]).map((task) => task.id),
      [sync['id']],
    );
    const one = await api.call('viewer', { method: 'GET', url: `${base}/sync-tasks/${String(sync['id'])}` });
    assert.equal(one.statusCode, 200);
  });

  test('the image list filters and pages', async () => {
    const all = json(await api.call('viewer', { method: 'GET', url: `${base}/images` }));
    assert.equal(all['total'], 4);
    const rows = all['images'] as {
      id: string;
      repository: string;
      tag: string;
      scanStatus: string;
      size: number;
    }[];
    images = Object.fromEntries(rows.map((row) => [`${row.repository}:${row.tag}`, row.id]));
    assert.deepEqual(Object.keys(images).sort(), [
      'app/clean:1',
      'app/web:1.0',
      'app/web:2.0',
      'tools/eicar:v1',
    ]);
    assert.ok(rows.every((row) => row.scanStatus === 'not_scanned' && typeof row.size === 'number'));
    const web = json(await api.call('viewer', { method: 'GET', url: `${base}/images?name=app/web` }));
    assert.equal(web['total'], 2);
    const page = json(await api.call('viewer', { method: 'GET', url: `${base}/images?limit=1&offset=1` }));
    assert.equal(page['total'], 4);
    assert.equal((page['images'] as unknown[]).length, 1);
    const byRegistry = json(
      await api.call('viewer', {
        method: 'GET',
        url: `${base}/images?registryId=${registryId}&registryType=registry&tag=1.0`,
      }),
    );
    assert.equal(byRegistry['total'], 1);
  });

  test('estimate, then scan with the estimate; the task ends with every image scanned', async () => {
    const request = { scope: { kind: 'all' }, riskTypes: ['secret', 'malware'] };
    const estimated = await api.call('operator', {
      method: 'POST',
      url: `${base}/estimates`,
      payload: request,
    });
    assert.equal(estimated.statusCode, 201, estimated.body);
    const estimate = json(estimated);
    assert.equal(estimate['images'], 4);
    assert.equal(estimate['units'], 4);
    const started = await api.call('operator', {
      method: 'POST',
      url: `${base}/scan-tasks`,
      payload: { ...request, name: 'first scan', estimateId: estimate['id'] },
    });
    assert.equal(started.statusCode, 201, started.body);
    const taskId = String(json(started)['id']);
    const reused = await api.call('operator', {
      method: 'POST',
      url: `${base}/scan-tasks`,
      payload: { ...request, estimateId: estimate['id'] },
    });
    assert.equal(reused.statusCode, 410);
    assert.equal(json(reused)['code'], 'estimate_expired');

    await runTaskToEnd(api.env.service, api.projectA, taskId);
    const task = json(await api.call('viewer', { method: 'GET', url: `${base}/scan-tasks/${taskId}` }));
    assert.equal(task['status'], 'finished');
    assert.equal(task['progress'], 100);
    assert.equal(task['creator'], 'operator');
    assert.deepEqual(task['counts'], {
      total: 4,
      queued: 0,
      running: 0,
      succeeded: 4,
      failed: 0,
      terminated: 0,
      risky: 3,
    });
    const failed = json(
      await api.call('viewer', { method: 'GET', url: `${base}/scan-tasks/${taskId}/images?failedOnly=true` }),
    );
    assert.deepEqual(failed['images'], []);
    const all = json(await api.call('viewer', { method: 'GET', url: `${base}/scan-tasks/${taskId}/images` }));
    assert.equal((all['images'] as unknown[]).length, 4);
    const listed = json(
      await api.call('viewer', {
        method: 'GET',
        url: `${base}/scan-tasks?type=manual&status=finished&name=first`,
      }),
    );
    assert.deepEqual(
      (listed['scanTasks'] as { id: string }[]).map((entry) => entry.id),
      [taskId],
    );
    const scanned = json(await api.call('viewer', { method: 'GET', url: `${base}/images?status=succeeded` }));
    assert.equal(scanned['total'], 4);
  });

  test('a task is stopped with containers:set alone; a viewer may not stop it', async () => {
    const started = await api.call('operator', {
      method: 'POST',
      url: `${base}/scan-tasks`,
      payload: { scope: { kind: 'images', imageIds: [images['app/clean:1']] }, acceptFee: true },
    });
    assert.equal(started.statusCode, 201, started.body);
    const taskId = String(json(started)['id']);
    const refused = await api.call('viewer', { method: 'POST', url: `${base}/scan-tasks/${taskId}/stop` });
    assert.equal(refused.statusCode, 403);
    const stopped = await api.call('containers', {
      method: 'POST',
      url: `${base}/scan-tasks/${taskId}/stop`,
    });
    assert.equal(stopped.statusCode, 200, stopped.body);
    assert.equal(json(stopped)['status'], 'stopped');
    assert.equal((json(stopped)['counts'] as { terminated: number }).terminated, 1);
    assert.equal(api.audits.at(-1)?.change.action, 'scan_task.stop');
    assert.equal(api.audits.at(-1)?.actor.userName, 'containers');
  });

  test('the report sections: secrets masked and without fingerprints, malware, inventory, files, layers', async () => {
    const web = images['app/web:1.0'];
    const image = json(await api.call('viewer', { method: 'GET', url: `${base}/images/${web}` }));
    assert.equal((image['image'] as { repository: string }).repository, 'app/web');
    assert.equal((image['platforms'] as unknown[]).length, 1);

    const secrets = await api.call('viewer', { method: 'GET', url: `${base}/images/${web}/report/secrets` });
    assert.equal(secrets.statusCode, 200, secrets.body);
    const [platform] = json(secrets)['platforms'] as {
      section: { scanned: boolean; findings: Record<string, unknown>[] };
    }[];
    assert.equal(platform?.section.scanned, true);
    const finding = platform?.section.findings.find((entry) => entry['path'] === 'srv/app/.env');
    assert.ok(finding, JSON.stringify(platform?.section.findings));
    assert.ok(!('fingerprint' in finding));
    assert.equal(finding['ignoredBy'], null);
    assert.ok(!secrets.body.includes(githubToken));
    assert.ok(!secrets.body.includes(githubToken.slice(8, 30)), 'not even the middle of the token');

    const malware = json(
      await api.call('viewer', {
        method: 'GET',
        url: `${base}/images/${images['tools/eicar:v1']}/report/malware`,
      }),
    );
    const [infected] = malware['platforms'] as { section: { findings: { path: string }[] } }[];
    assert.deepEqual(
      infected?.section.findings.map((entry) => entry.path),
      ['tmp/eicar.com'],
    );
    const vulnerabilities = json(
      await api.call('viewer', { method: 'GET', url: `${base}/images/${web}/report/vulnerabilities` }),
    );
    assert.equal(
      (vulnerabilities['platforms'] as { section: { scanned: boolean } }[])[0]?.section.scanned,
      false,
      'the task did not ask for vulnerabilities',
    );
    for (const section of [
      'summary',
      'baseline',
      'compliance',
      'software',
      'files',
      'base-image',
      'layers',
    ]) {
      const response = await api.call('viewer', {
        method: 'GET',
        url: `${base}/images/${web}/report/${section}`,
      });
      assert.equal(response.statusCode, 200, `${section}: ${response.body}`);
    }
    const layers = json(
      await api.call('viewer', { method: 'GET', url: `${base}/images/${web}/report/layers` }),
    );
    assert.equal((layers['platforms'] as { section: { layers: unknown[] } }[])[0]?.section.layers.length, 2);
    const none = json(
      await api.call('viewer', {
        method: 'GET',
        url: `${base}/images/${web}/report/summary?platform=linux/s390x`,
      }),
    );
    assert.deepEqual(none['platforms'], []);
  });

  test('risk views group findings with the images they affect; handling follows at once', async () => {
    const viewed = await api.call('viewer', { method: 'GET', url: `${base}/risks/secret?samples=3` });
    assert.equal(viewed.statusCode, 200, viewed.body);
    const view = json(viewed);
    const groups = view['findings'] as {
      key: string;
      finding: { ruleId: string; path: string };
      imageCount: number;
      images: { image: { id: string } }[];
    }[];
    const leak = groups.find((group) => group.finding.path === 'srv/app/.env');
    assert.ok(leak, JSON.stringify(groups));
    assert.equal(leak.imageCount, 2);
    assert.deepEqual(
      leak.images.map((entry) => entry.image.id).sort(),
      [images['app/web:1.0'], images['app/web:2.0']].sort(),
    );
    const affected = json(
      await api.call('viewer', {
        method: 'GET',
        url: `${base}/risks/secret/images?key=${encodeURIComponent(leak.key)}&limit=1`,
      }),
    );
    assert.equal(affected['total'], 2);
    assert.equal((affected['images'] as unknown[]).length, 1);
    const unknownKey = await api.call('viewer', {
      method: 'GET',
      url: `${base}/risks/secret/images?key=nothing`,
    });
    assert.equal(unknownKey.statusCode, 404, unknownKey.body);
    const malware = json(
      await api.call('viewer', { method: 'GET', url: `${base}/risks/malware?severity=critical` }),
    );
    assert.equal(malware['total'], 1);
    const inventory = await api.call('viewer', { method: 'GET', url: `${base}/risks/inventory?limit=5` });
    assert.equal(inventory.statusCode, 200);

    const ignored = await api.call('operator', {
      method: 'POST',
      url: `${base}/handling/secret-ignores`,
      payload: { ruleId: leak.finding.ruleId, path: leak.finding.path, reason: 'test fixture' },
    });
    assert.equal(ignored.statusCode, 201, ignored.body);
    const ignore = json(ignored);
    assert.equal(ignore['userName'], 'operator');
    const open = json(await api.call('viewer', { method: 'GET', url: `${base}/risks/secret?handling=open` }));
    assert.ok(
      !(open['findings'] as { key: string }[]).some((group) => group.key === leak.key),
      'the ignored finding is no longer open',
    );
    const image = json(await api.call('viewer', { method: 'GET', url: `${base}/images?name=app/web:1.0` }));
    assert.equal((image['images'] as { riskCounts: { secret: number } }[])[0]?.riskCounts.secret, 0);
    const listed = json(await api.call('viewer', { method: 'GET', url: `${base}/handling/secret-ignores` }));
    assert.equal((listed['ignores'] as unknown[]).length, 1);
    const lifted = await api.call('operator', {
      method: 'DELETE',
      url: `${base}/handling/secret-ignores/${String(ignore['id'])}`,
    });
    assert.equal(lifted.statusCode, 200);
    assert.notEqual(json(lifted)['removedAt'], null);
    const again = await api.call('operator', {
      method: 'DELETE',
      url: `${base}/handling/secret-ignores/${String(ignore['id'])}`,
    });
    assert.equal(again.statusCode, 409);

    const allowlisted = await api.call('operator', {
      method: 'POST',
      url: `${base}/handling/vulnerabilities`,
      payload: {
        advisoryId: 'GHSA-xxxx-yyyy-zzzz',
        action: 'allowlist',
        scope: { kind: 'registry_types', types: ['registry'] },
        reason: 'not reachable',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    assert.equal(allowlisted.statusCode, 201, allowlisted.body);
    const history = json(
      await api.call('viewer', {
        method: 'GET',
        url: `${base}/handling/vulnerabilities/GHSA-xxxx-yyyy-zzzz`,
      }),
    );
    assert.deepEqual(
      (history['entries'] as { action: string; userName: string }[]).map((entry) => [
        entry.action,
        entry.userName,
      ]),
      [['allowlist', 'operator']],
    );
    const viewerRefused = await api.call('viewer', {
      method: 'POST',
      url: `${base}/handling/vulnerabilities`,
      payload: { advisoryId: 'GHSA-1', action: 'ignore', scope: { kind: 'all' }, reason: 'x' },
    });
    assert.equal(viewerRefused.statusCode, 403);
  });

  test('the scheduled policy and the scan settings', async () => {
    const set = await api.call('operator', {
      method: 'PUT',
      url: `${base}/policy`,
      payload: {
        enabled: true,
        periodDays: 7,
        windowStart: '01:00',
        windowEnd: '05:00',
        connectionIds: [registryId],
      },
    });
    assert.equal(set.statusCode, 200, set.body);
    assert.equal(json(set)['timeZone'], 'UTC');
    const got = json(await api.call('viewer', { method: 'GET', url: `${base}/policy` }));
    assert.equal(got['periodDays'], 7);
    assert.ok(got['nextRunAt']);
    const removed = await api.call('operator', { method: 'DELETE', url: `${base}/policy` });
    assert.equal(removed.statusCode, 204);
    assert.equal(json(await api.call('viewer', { method: 'GET', url: `${base}/policy` }))['enabled'], false);

    const settings = await api.call('operator', {
      method: 'PATCH',
      url: `${base}/scan-settings`,
      payload: {
        weakPasswords: ['acme2024', 'Summer!'],
        secretPathAllowlist: ['srv/app/**'],
        compliancePolicy: [
          'forbiddenCategories: [reciprocal]',
          'prohibitedSoftware:',
          '  - id: acme-tunnel',
          '    category: network-relay',
          '    severity: high',
          '    reason: opens tunnels out of the cluster',
          '    packages: { npm: [acme-tunnel] }',
          '    binaries: [acme-tunnel]',
        ].join('\n'),
      },
    });
    assert.equal(settings.statusCode, 200, settings.body);
    assert.deepEqual(json(settings)['secretPathAllowlist'], ['srv/app/**']);
    const invalid = await api.call('operator', {
      method: 'PATCH',
      url: `${base}/scan-settings`,
      payload: { compliancePolicy: 'forbiddenCategories: [nonsense]' },
    });
    assert.equal(invalid.statusCode, 400, invalid.body);
    // The path allowlist applies to stored results at once.
    const secret = json(
      await api.call('viewer', { method: 'GET', url: `${base}/risks/secret?handling=open` }),
    );
    assert.ok(
      !(secret['findings'] as { finding: { path: string } }[]).some(
        (group) => group.finding.path === 'srv/app/.env',
      ),
    );
    await api.call('operator', {
      method: 'PATCH',
      url: `${base}/scan-settings`,
      payload: { secretPathAllowlist: [] },
    });
    assert.equal((await api.call('viewer', { method: 'GET', url: `${base}/scan-settings` })).statusCode, 403);
  });

  test('exports run in the background and download with their type and file name', async () => {
    const created = await api.call('viewer', {
      method: 'POST',
      url: `${base}/exports`,
      payload: { kind: 'secret', format: 'csv' },
    });
    assert.equal(created.statusCode, 202, created.body);
    const exportId = String(json(created)['id']);
    await api.env.service.results.settle();
    const status = json(await api.call('viewer', { method: 'GET', url: `${base}/exports/${exportId}` }));
    assert.equal(status['status'], 'finished', JSON.stringify(status));
    assert.ok(Number(status['rows']) >= 2);
    assert.ok(!('content' in status));
    const download = await api.call('viewer', { method: 'GET', url: `${base}/exports/${exportId}/download` });
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(
      download.headers['content-disposition'],
      `attachment; filename="drydock-secret-${exportId}.csv"`,
    );
    assert.match(download.body, /srv\/app\/\.env/);
    assert.ok(!download.body.includes(githubToken));

    const report = await api.call('viewer', {
      method: 'POST',
      url: `${base}/exports`,
      payload: { kind: 'image', format: 'json', filter: { imageId: images['app/web:2.0'] } },
    });
    const reportId = String(json(report)['id']);
    await api.env.service.results.settle();
    const file = await api.call('viewer', { method: 'GET', url: `${base}/exports/${reportId}/download` });
    assert.equal(file.statusCode, 200, file.body);
    assert.equal(file.headers['content-type'], 'application/json; charset=utf-8');
    assert.ok(JSON.parse(file.body));

    const broken = await api.call('viewer', {
      method: 'POST',
      url: `${base}/exports`,
      payload: { kind: 'image', format: 'json', filter: { imageId: 'no-such-image' } },
    });
    await api.env.service.results.settle();
    const brokenId = String(json(broken)['id']);
    assert.equal(
      json(await api.call('viewer', { method: 'GET', url: `${base}/exports/${brokenId}` }))['status'],
      'failed',
    );
    const refused = await api.call('viewer', { method: 'GET', url: `${base}/exports/${brokenId}/download` });
    assert.equal(refused.statusCode, 409);
    assert.equal(json(refused)['code'], 'conflict');
  });

  test('usage needs billing:get and counts the successful scans', async () => {
    assert.equal((await api.call('operator', { method: 'GET', url: `${base}/usage` })).statusCode, 403);
    const usage = await api.call('billing', { method: 'GET', url: `${base}/usage` });
    assert.equal(usage.statusCode, 200, usage.body);
    assert.equal(json(usage)['repositoryScans'], 4);
    const other = json(await api.call('billing', { method: 'GET', url: `${base}/usage?month=2001-01` }));
    assert.equal(other['repositoryScans'], 0);
    const database = json(await api.call('viewer', { method: 'GET', url: '/api/v1/vulnerability-database' }));
    assert.deepEqual(database, { available: false });
  });

  test('changing the credentials keeps them hidden; no response of the run held a secret', async () => {
    const updated = await api.call('admin', {
      method: 'PATCH',
      url: `${base}/registries/${registryId}`,
      payload: {
        credentials: { kind: 'basic', username: 'robot', password: `${registryPassword}-2` },
        maxConcurrentPulls: 2,
      },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(json(updated)['maxConcurrentPulls'], 2);
    const listed = await api.call('admin', { method: 'GET', url: `${base}/registries` });
    assert.equal(listed.statusCode, 200);
    const exported = await api.call('admin', { method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(exported.statusCode, 200);
    assert.ok(api.bodies.length > 40);
    for (const body of api.bodies) {
      assert.ok(!body.includes(registryPassword), 'a response held the registry password');
      assert.ok(!body.includes(githubToken), 'a response held a raw secret');
    }
    for (const entry of api.audits) {
      const text = JSON.stringify(entry);
      assert.ok(!text.includes(registryPassword) && !text.includes(githubToken), text);
    }
  });
});
