import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DrydockService, type RiskCounts, type RiskType } from '@drydock/server';
import {
  createAdminToken,
  startServeProcess,
  startWorkerProcess,
  type DrydockProcess,
} from '../harness/drydock-processes.ts';
import { startPostgres, type TestPostgres } from '../harness/postgres.ts';
import { freePort, startRegistry, type TestRegistry } from '../harness/registry.ts';
import { connectRegistry, runTaskToEnd, startTestService, waitUntil } from '../harness/service.ts';
import { buildWidgetDatabase, pushMixedImages } from './scale-out-images.ts';

/**
 * Scale-out with real processes: `drydock serve --database` and `drydock worker --database
 * --server` on a real PostgreSQL, scanning images of a real registry.
 */

const riskTypes: RiskType[] = ['vulnerability', 'secret', 'malware', 'baseline', 'compliance'];
const imageCount = 60;
const adminPassword = 'scale-out admin password';

let postgres: TestPostgres;
let registry: TestRegistry;
let work: string;
let databasePath: string;

before(async () => {
  [postgres, registry] = await Promise.all([startPostgres(), startRegistry()]);
  work = await mkdtemp(join(tmpdir(), 'drydock-scale-out-'));
  databasePath = await buildWidgetDatabase(join(work, 'vulndb'));
  await pushMixedImages(registry, imageCount);
});
after(async () => {
  await postgres?.stop();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

interface ImageOutcome {
  readonly riskLevel: string | null;
  readonly riskCounts: unknown;
}

/** Each image's risk level and counts by `repository:tag`, as the image list shows them. */
async function outcomes(service: DrydockService): Promise<Map<string, ImageOutcome>> {
  const rows = await service.db
    .selectFrom('repositoryImage')
    .select(['repository', 'tag', 'riskLevel', 'riskCounts'])
    .execute();
  return new Map(
    rows.map((row) => [
      `${row.repository}:${row.tag}`,
      { riskLevel: row.riskLevel, riskCounts: row.riskCounts },
    ]),
  );
}

/** The service library on the same database, with no workers and no rounds: the test's own hands. */
function openClient(url: string, secretKey: string, stateDir: string): Promise<DrydockService> {
  return DrydockService.open({
    store: { kind: 'postgres', url },
    stateDir,
    secretKey,
    tickMs: 0,
    dailySyncAt: null,
    workers: { manual: 0, scheduled: 0 },
  });
}

async function taskDone(client: DrydockService, projectId: string, taskId: string): Promise<boolean> {
  return !['running', 'stopping'].includes((await client.tasks.get(projectId, taskId)).status);
}

test('one serve and three workers on PostgreSQL scan 60 images exactly once, with the results and bill of the embedded mode', async () => {
  // The embedded mode first: the reference.
  const embedded = await startTestService({ engines: { vulnerabilityDatabasePath: databasePath } });
  let expected: Map<string, ImageOutcome>;
  let expectedUsage;
  try {
    await connectRegistry(embedded, registry.url);
    const task = await embedded.service.tasks.start(
      embedded.projectId,
      { scope: { kind: 'all' }, riskTypes, acceptFee: true },
      'tester',
    );
    const final = await runTaskToEnd(embedded.service, embedded.projectId, task.id);
    assert.equal(final.counts.succeeded, imageCount);
    expected = await outcomes(embedded.service);
    expectedUsage = await embedded.service.meter.usage(
      embedded.service.db,
      embedded.projectId,
      new Date().toISOString().slice(0, 7),
    );
  } finally {
    await embedded.close();
  }
  const counted = (kind: 'vulnerability' | 'malware') =>
    [...expected.values()].filter((outcome) => {
      const counts = outcome.riskCounts as RiskCounts;
      return kind === 'malware' ? counts.malware > 0 : counts.vulnerability.high > 0;
    }).length;
  assert.deepEqual([counted('vulnerability'), counted('malware')], [imageCount / 3, imageCount / 3]);

  const url = await postgres.createDatabase('fleet');
  const secretKey = randomBytes(32).toString('base64');
  const processes: DrydockProcess[] = [];
  let client: DrydockService | undefined;
  try {
    const serve = await startServeProcess({
      databaseUrl: url,
      secretKey,
      dataDir: join(work, 'serve'),
      adminPassword,
      extraArgs: ['--db', databasePath],
    });
    processes.push(serve);
    const token = await createAdminToken(serve.url ?? '', adminPassword);
    const tokenFile = join(work, 'worker-token');
    await writeFile(tokenFile, `${token}\n`);
    await chmod(tokenFile, 0o600);
    const healthPort = await freePort();
    const workers = await Promise.all(
      [0, 1, 2].map((index) =>
        startWorkerProcess({
          databaseUrl: url,
          secretKey,
          dataDir: join(work, `worker-${index}`),
          server: { url: serve.url ?? '', tokenFile },
          ...(index === 0 ? { healthPort } : {}),
        }),
      ),
    );
    processes.push(...workers);
    const ready = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
    assert.deepEqual([ready.status, await ready.json()], [200, { status: 'ready' }]);
    // Each worker holds the service's file under its checksum: it was downloaded, not read locally.
    const status = await fetch(`${serve.url}/api/v1/vulnerability-database`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const served = (await status.json()) as { sha256?: string };
    assert.match(served.sha256 ?? '', /^[0-9a-f]{64}$/);
    for (const index of [0, 1, 2])
      assert.deepEqual(await readdir(join(work, `worker-${index}`, 'worker')), [
        `vulnerability-${served.sha256}.db`,
      ]);

    client = await openClient(url, secretKey, join(work, 'client'));
    const project = await client.projects.ensureDefault();
    await client.connections.create(project.id, {
      name: 'local',
      type: 'registry',
      url: registry.url,
      maxConcurrentPulls: 8,
    });
    await client.sync.sync(project.id, { trigger: 'manual' });
    const task = await client.tasks.start(
      project.id,
      { scope: { kind: 'all' }, riskTypes, acceptFee: true },
      'tester',
    );
    const started = client;
    await waitUntil(() => taskDone(started, project.id, task.id), { timeoutMs: 240_000, everyMs: 250 });
    const final = await client.tasks.get(project.id, task.id);
    assert.equal(final.status, 'finished');
    assert.equal(final.counts.succeeded, imageCount);

    const rows = await client.db.selectFrom('scanTaskImage').select(['status', 'attempts']).execute();
    assert.deepEqual(
      rows.map((row) => `${row.status}/${row.attempts}`),
      rows.map(() => 'succeeded/1'),
      'every image scanned once',
    );
    const results = await client.db.selectFrom('scanResult').select('imageId').execute();
    assert.equal(new Set(results.map((row) => row.imageId)).size, imageCount);
    assert.equal(results.length, imageCount, 'one result per image');
    assert.equal((await client.db.selectFrom('billingEvent').select('key').execute()).length, imageCount);

    assert.deepEqual(
      await outcomes(client),
      expected,
      'the same risk level and counts per image as the embedded mode',
    );
    const usage = await client.meter.usage(client.db, project.id, new Date().toISOString().slice(0, 7));
    assert.deepEqual(
      { ...usage, projectId: '' },
      { ...expectedUsage, projectId: '' },
      'the same bill as the embedded mode',
    );
  } finally {
    await client?.close();
    for (const process of processes) await process.stop();
  }
});

test('PostgreSQL restarted during a task: the service and the workers reconnect, and every image is scanned and billed once', async () => {
  const url = await postgres.createDatabase('restart');
  const secretKey = randomBytes(32).toString('base64');
  const processes: DrydockProcess[] = [];
  let client: DrydockService | undefined;
  try {
    processes.push(
      await startServeProcess({ databaseUrl: url, secretKey, dataDir: join(work, 'restart-serve') }),
    );
    processes.push(
      ...(await Promise.all(
        [0, 1].map((index) =>
          startWorkerProcess({ databaseUrl: url, secretKey, dataDir: join(work, `restart-worker-${index}`) }),
        ),
      )),
    );
    client = await openClient(url, secretKey, join(work, 'restart-client'));
    const project = await client.projects.ensureDefault();
    await client.connections.create(project.id, { name: 'local', type: 'registry', url: registry.url });
    await client.sync.sync(project.id, { trigger: 'manual' });
    const task = await client.tasks.start(
      project.id,
      { scope: { kind: 'all' }, riskTypes: ['secret', 'malware'], acceptFee: true },
      'tester',
    );
    const started = client;
    const succeeded = async () =>
      (
        await started.db
          .selectFrom('scanTaskImage')
          .select('status')
          .where('status', '=', 'succeeded')
          .execute()
      ).length;
    await waitUntil(async () => (await succeeded()) >= 5, { timeoutMs: 120_000 });
    await postgres.restart();
    // Queries fail while the server is down: they count as "not yet".
    await waitUntil(() => taskDone(started, project.id, task.id).catch(() => false), {
      timeoutMs: 180_000,
      everyMs: 250,
    }).catch(async (error: unknown) => {
      const rows = await started.db.selectFrom('scanTaskImage').select(['status', 'attempts']).execute();
      const counts = Object.entries(Object.groupBy(rows, (row) => `${row.status}/${row.attempts}`)).map(
        ([key, list]) => `${key}: ${list?.length}`,
      );
      throw new Error(
        `${String(error)}; rows ${counts.join(', ')}\n${processes.map((entry) => entry.stderr().slice(-3000)).join('\n---\n')}`,
      );
    });
    const final = await client.tasks.get(project.id, task.id);
    assert.deepEqual([final.status, final.counts.succeeded], ['finished', imageCount]);
    const results = await client.db.selectFrom('scanResult').select('imageId').execute();
    assert.equal(results.length, imageCount, 'one result per image, none twice');
    assert.equal((await client.db.selectFrom('billingEvent').select('key').execute()).length, imageCount);
    for (const process of processes)
      assert.equal(process.child.exitCode, null, `a process ended:\n${process.stderr()}`);
  } finally {
    await client?.close();
    for (const process of processes) await process.stop();
  }
});
