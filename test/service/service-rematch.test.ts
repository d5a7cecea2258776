import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { unpackReport } from '../../packages/server/src/store/packed-report.ts';
import { CountingProxy } from '../harness/counting-proxy.ts';
import { buildTestImage, RegistryPusher } from '../harness/registry-push.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { runTaskToEnd, startTestService, type TestService, connectRegistry } from '../harness/service.ts';
import { buildDatabaseFromRecords } from '../harness/vulnerability-database.ts';

// Made-up advisories about a made-up package: test data only.
const widget = 'drydock-test-widget';
function advisory(id: string, fixed: string, extra: Record<string, unknown> = {}) {
  return {
    schema_version: '1.6.0',
    id,
    modified: '2026-01-01T00:00:00Z',
    published: '2025-12-01T00:00:00Z',
    summary: `${id} in ${widget}`,
    affected: [
      {
        package: { ecosystem: 'npm', name: widget },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }],
      },
    ],
    ...extra,
  };
}

let registry: TestRegistry;
let proxy: CountingProxy;
let env: TestService;
let work: string;
let newer: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-rematch-'));
  const older = await buildDatabaseFromRecords(work, 'v1', [
    advisory('DRYDOCK-TEST-1', '1.3.0'),
    advisory('DRYDOCK-TEST-3', '2.0.0'),
  ]);
  newer = await buildDatabaseFromRecords(work, 'v2', [
    advisory('DRYDOCK-TEST-1', '1.0.0', { modified: '2026-02-01T00:00:00Z' }),
    advisory('DRYDOCK-TEST-2', '5.0.0'),
    advisory('DRYDOCK-TEST-3', '2.0.0', {
      modified: '2026-02-01T00:00:00Z',
      withdrawn: '2026-02-01T00:00:00Z',
    }),
  ]);
  registry = await startRegistry();
  const image = await buildTestImage({
    layers: [
      {
        'app/package.json': JSON.stringify({
          name: 'app',
          version: '1.0.0',
          dependencies: { [widget]: '^1.2.0' },
        }),
        [`app/node_modules/${widget}/package.json`]: JSON.stringify({
          name: widget,
          version: '1.2.0',
          license: 'MIT',
        }),
      },
    ],
  });
  await new RegistryPusher(registry).pushImage('apps/web', '1', image);
  proxy = await CountingProxy.start(registry.url);
  env = await startTestService({ engines: { vulnerabilityDatabasePath: older } });
  await connectRegistry(env, proxy.url);
});
after(async () => {
  await env?.close();
  await proxy?.stop();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

test('a newer vulnerability database changes stored findings without any registry request', async () => {
  const { service, projectId } = env;
  const task = await service.tasks.start(
    projectId,
    { scope: { kind: 'all' }, riskTypes: ['vulnerability'], acceptFee: true },
    'tester',
  );
  const final = await runTaskToEnd(service, projectId, task.id);
  assert.equal(final.counts.succeeded, 1);
  const before = await service.db.selectFrom('scanResult').select(['report']).executeTakeFirstOrThrow();
  const idsBefore = (
    (unpackReport(before.report) as { vulnerabilities: { id: string }[] }).vulnerabilities ?? []
  )
    .map((finding) => finding.id)
    .sort();
  assert.deepEqual(idsBefore, ['DRYDOCK-TEST-1', 'DRYDOCK-TEST-3']);

  const requests = proxy.requests.length;
  const summary = await service.rematch(newer);
  assert.equal(proxy.requests.length, requests, 'the registry saw no request');
  assert.deepEqual(summary, { images: 1, changed: 1 });

  const after = await service.db
    .selectFrom('scanResult')
    .select(['report', 'riskCounts'])
    .executeTakeFirstOrThrow();
  const idsAfter = (
    (unpackReport(after.report) as { vulnerabilities: { id: string }[] }).vulnerabilities ?? []
  ).map((finding) => finding.id);
  assert.deepEqual(idsAfter, ['DRYDOCK-TEST-2']);
  const change = await service.db.selectFrom('rematchChange').selectAll().executeTakeFirstOrThrow();
  assert.deepEqual(
    change.added.map((entry) => entry.advisoryId),
    ['DRYDOCK-TEST-2'],
  );
  assert.deepEqual(
    change.fixed.map((entry) => entry.advisoryId),
    ['DRYDOCK-TEST-1'],
  );
  assert.deepEqual(
    change.withdrawn.map((entry) => entry.advisoryId),
    ['DRYDOCK-TEST-3'],
  );
  const [image] = (await service.images(projectId)).images;
  assert.equal(image?.riskCounts?.vulnerability.unknown, 1);

  // Handling follows through to the counts, and exports show it.
  await service.results.handleVulnerability({
    projectId,
    advisoryId: 'DRYDOCK-TEST-2',
    action: 'ignore',
    scope: { kind: 'all' },
    reason: 'not reachable in this service',
    userName: 'tester',
  });
  const [handled] = (await service.images(projectId)).images;
  assert.equal(handled?.riskCounts?.vulnerability.unknown, 0);
  const history = await service.results.vulnerabilityHistory(projectId, 'DRYDOCK-TEST-2');
  assert.equal(history.length, 1);
  const exportId = await service.results.startExport({ projectId, kind: 'vulnerability', format: 'csv' });
  await service.results.settle();
  const exported = await service.results.exportJob(projectId, exportId);
  assert.equal(exported.status, 'finished');
  assert.equal(exported.rows, 1);
  assert.match(exported.content ?? '', /DRYDOCK-TEST-2/);
  assert.match(exported.content ?? '', /ignored/);
});
