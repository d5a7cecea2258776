import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listerFactory } from '../../packages/server/src/registries/lister-factory.ts';
import { toJson } from '../../packages/server/src/store/json.ts';
import { packReport } from '../../packages/server/src/store/packed-report.ts';
import { buildTestImage, RegistryPusher } from '../harness/registry-push.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { json, startTestApi, type TestApi } from './api-harness.ts';
import { buildDatabaseFromRecords } from '../harness/vulnerability-database.ts';

/**
 * What the API adds over the service's first version: image list sorting, a cheap image read,
 * syncs that run in the background, the export job list, and the vulnerability database for
 * workers (status and a conditional download of the file in use). Everything goes through HTTP
 * against a real service, a real registry and real vulnerability databases.
 */

/**
 * A registry address that accepts connections and never answers until released; then it stops
 * listening, so every request fails at once. It holds a sync `running` for as long as a test needs.
 */
class SilentPort {
  readonly #sockets = new Set<Socket>();
  readonly #server: Server;
  readonly connected: Promise<void>;

  private constructor(server: Server, connected: Promise<void>) {
    this.#server = server;
    this.connected = connected;
    server.on('connection', (socket) => this.#sockets.add(socket));
  }

  static async start(): Promise<SilentPort> {
    const server = createServer();
    const connected = new Promise<void>((resolve) => server.once('connection', () => resolve()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new SilentPort(server, connected);
  }

  get url(): string {
    const address = this.#server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  }

  release(): void {
    this.#server.close();
    for (const socket of this.#sockets) socket.destroy();
  }
}

// Made-up advisories of a made-up package: test data only.
function advisory(id: string, fixed: string) {
  return {
    schema_version: '1.6.0',
    id,
    modified: '2026-01-01T00:00:00Z',
    published: '2025-12-01T00:00:00Z',
    summary: `${id} in drydock-test-widget`,
    affected: [
      {
        package: { ecosystem: 'npm', name: 'drydock-test-widget' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }],
      },
    ],
  };
}

function buildDatabase(dir: string, name: string, ids: readonly string[]): Promise<string> {
  return buildDatabaseFromRecords(
    dir,
    name,
    ids.map((id) => advisory(id, '2.0.0')),
  );
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

interface ImageRow {
  readonly id: string;
  readonly repository: string;
  readonly tag: string;
}

describe('the API’s added capabilities', () => {
  let registry: TestRegistry;
  let silent: SilentPort;
  let api: TestApi;
  let base: string;
  let work: string;
  let firstDatabase: string;
  let secondDatabase: string;
  /** Image ids by `repository:tag`, after the registry's sync. */
  const images = new Map<string, string>();

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'drydock-api-gaps-'));
    firstDatabase = await buildDatabase(work, 'first', ['DRYDOCK-TEST-1']);
    secondDatabase = await buildDatabase(work, 'second', ['DRYDOCK-TEST-1', 'DRYDOCK-TEST-2']);
    registry = await startRegistry();
    const pusher = new RegistryPusher(registry);
    for (const [repository, tag] of [
      ['app/web', '1.0'],
      ['app/web', '2.0'],
      ['tools/cli', 'v1'],
    ] as const)
      await pusher.pushImage(
        repository,
        tag,
        await buildTestImage({ layers: [{ [`srv/${repository}/${tag}`]: `${repository}:${tag}\n` }] }),
      );
    silent = await SilentPort.start();
    // Retries of the released silent port fail at once instead of backing off.
    api = await startTestApi({
      service: {
        listers: listerFactory({
          registryOptions: { sleep: async (_ms, signal) => signal.throwIfAborted() },
        }),
      },
    });
    base = `/api/v1/projects/${api.projectA}`;
  });
  after(async () => {
    silent?.release();
    await api?.close();
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('a sync answers 202 running at once, goes on in the background, and stores its failures', async () => {
    const held = await api.env.service.connections.create(api.projectA, {
      name: 'silent',
      type: 'registry',
      url: silent.url,
    });
    const started = await api.call('operator', {
      method: 'POST',
      url: `${base}/sync-tasks`,
      payload: { registryIds: [held.id] },
    });
    assert.equal(started.statusCode, 202, started.body);
    const task = json(started);
    assert.equal(task['status'], 'running');
    assert.equal(task['finishedAt'], null);
    assert.deepEqual(task['connectionIds'], [held.id]);
    const taskId = String(task['id']);

    // The registry got the listing's first request and never answers it: the sync is still on.
    await silent.connected;
    const running = json(await api.call('viewer', { method: 'GET', url: `${base}/sync-tasks/${taskId}` }));
    assert.equal(running['status'], 'running');
    const listed = json(
      await api.call('viewer', { method: 'GET', url: `${base}/sync-tasks?status=running` }),
    );
    assert.deepEqual(
      (listed['syncTasks'] as { id: string }[]).map((entry) => entry.id),
      [taskId],
    );

    silent.release();
    await api.env.service.sync.settle();
    const ended = json(await api.call('viewer', { method: 'GET', url: `${base}/sync-tasks/${taskId}` }));
    assert.equal(ended['status'], 'failed');
    assert.notEqual(ended['finishedAt'], null);
    const errors = ended['errors'] as { connectionId: string; code: string; message: string }[];
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.connectionId, held.id);
    assert.equal(errors[0]?.code, 'download_failed');
    await api.env.service.connections.remove(api.projectA, held.id);
  });

  test('a sync of a real registry finishes in the background; unknown registries start nothing', async () => {
    const local = await api.env.service.connections.create(api.projectA, {
      name: 'local',
      type: 'registry',
      url: registry.url,
    });
    const started = await api.call('operator', {
      method: 'POST',
      url: `${base}/sync-tasks`,
      payload: { registryIds: [local.id] },
    });
    assert.equal(started.statusCode, 202, started.body);
    assert.equal(json(started)['status'], 'running');
    await api.env.service.sync.settle();
    const ended = json(
      await api.call('viewer', { method: 'GET', url: `${base}/sync-tasks/${String(json(started)['id'])}` }),
    );
    assert.equal(ended['status'], 'finished', JSON.stringify(ended));
    assert.deepEqual(ended['counts'], { added: 3, changed: 0, deleted: 0, unchanged: 0, skipped: 0 });
    const rows = json(await api.call('viewer', { method: 'GET', url: `${base}/images` }))[
      'images'
    ] as ImageRow[];
    for (const row of rows) images.set(`${row.repository}:${row.tag}`, row.id);
    assert.equal(images.size, 3);

    const before = (
      json(await api.call('viewer', { method: 'GET', url: `${base}/sync-tasks` }))['syncTasks'] as []
    ).length;
    const unknown = await api.call('operator', {
      method: 'POST',
      url: `${base}/sync-tasks`,
      payload: { registryIds: [randomUUID()] },
    });
    assert.equal(unknown.statusCode, 404, unknown.body);
    assert.equal(json(unknown)['code'], 'not_found');
    const afterwards = json(await api.call('viewer', { method: 'GET', url: `${base}/sync-tasks` }));
    assert.equal((afterwards['syncTasks'] as []).length, before);
    assert.equal(
      (await api.call('viewer', { method: 'POST', url: `${base}/sync-tasks`, payload: {} })).statusCode,
      403,
    );
  });

  test('the image list sorts by whitelisted columns in both orders, ties by id, with the filters', async () => {
    const id = (name: string): string => images.get(name) ?? assert.fail(`no image ${name}`);
    const { db } = api.env.service;
    const scanned = new Date('2025-06-01T00:00:00Z');
    const values = [
      ['app/web:1.0', 300, 'high', 'succeeded', scanned],
      ['app/web:2.0', 100, null, 'not_scanned', null],
      ['tools/cli:v1', 300, 'critical', 'failed', new Date('2025-05-01T00:00:00Z')],
    ] as const;
    for (const [name, size, riskLevel, scanStatus, lastScanAt] of values)
      await db
        .updateTable('repositoryImage')
        .set({ size, riskLevel, scanStatus, lastScanAt })
        .where('id', '=', id(name))
        .execute();
    const order = async (query: string): Promise<string[]> => {
      const response = await api.call('viewer', { method: 'GET', url: `${base}/images?${query}` });
      assert.equal(response.statusCode, 200, response.body);
      return (json(response)['images'] as ImageRow[]).map((row) => `${row.repository}:${row.tag}`);
    };
    // The two images of size 300 tie: the id decides, in the requested order.
    const byId = new Map([...images].map(([name, imageId]) => [imageId, name]));
    const ties = [id('app/web:1.0'), id('tools/cli:v1')].sort().map((entry) => byId.get(entry));
    assert.deepEqual(await order('sort=size'), ['app/web:2.0', ...ties]);
    assert.deepEqual(await order('sort=size&order=desc'), [...ties].reverse().concat('app/web:2.0'));
    assert.deepEqual(await order('sort=riskLevel&order=desc'), [
      'tools/cli:v1',
      'app/web:1.0',
      'app/web:2.0',
    ]);
    assert.deepEqual(await order('sort=lastScanAt&order=desc'), [
      'app/web:1.0',
      'tools/cli:v1',
      'app/web:2.0',
    ]);
    assert.deepEqual(await order('sort=scanStatus'), ['app/web:2.0', 'app/web:1.0', 'tools/cli:v1']);
    assert.deepEqual(await order('sort=name&order=desc'), ['tools/cli:v1', 'app/web:2.0', 'app/web:1.0']);
    assert.deepEqual(await order('sort=tag&order=desc&name=app/web'), ['app/web:2.0', 'app/web:1.0']);
    const page = json(
      await api.call('viewer', { method: 'GET', url: `${base}/images?sort=size&limit=1&offset=1` }),
    );
    assert.equal(page['total'], 3);
    assert.equal((page['images'] as unknown[]).length, 1);

    for (const query of [
      'sort=id',
      'sort=size%3B%20drop%20table%20repository_image',
      'order=up',
      'sort=size,tag',
    ]) {
      const refused = await api.call('viewer', { method: 'GET', url: `${base}/images?${query}` });
      assert.equal(refused.statusCode, 400, `${query}: ${refused.body}`);
      assert.equal(json(refused)['code'], 'invalid_request');
    }
    assert.equal(json(await api.call('viewer', { method: 'GET', url: `${base}/images` }))['total'], 3);
  });

  test('one image answers its list row and each platform’s current result without reading a report', async () => {
    const imageId = images.get('tools/cli:v1') ?? assert.fail('no image');
    const counts = {
      vulnerability: { critical: 1, high: 0, medium: 0, low: 0, unknown: 0 },
      secret: 2,
      malware: 0,
      baseline: 0,
      compliance: 0,
    };
    const { db } = api.env.service;
    await db
      .updateTable('repositoryImage')
      .set({
        failureCode: 'download_failed',
        failureMessage: 'the registry hung up',
        riskCounts: toJson(counts),
      })
      .where('id', '=', imageId)
      .execute();
    // The report column holds no report: reading it would fail the request, so answering proves it
    // is not read. The row goes again at the end (exports and re-matching read every report).
    const resultId = randomUUID();
    await db
      .insertInto('scanResult')
      .values({
        id: resultId,
        projectId: api.projectA,
        imageId,
        taskId: null,
        digest: 'sha256:platform',
        platform: '',
        report: packReport({ notAReport: true }),
        riskTypes: toJson(['vulnerability', 'secret'] as const),
        riskCounts: toJson(counts),
        riskLevel: 'critical',
        matchedAt: new Date('2025-05-01T00:00:00Z'),
        databaseBuiltAt: null,
        createdAt: new Date('2025-05-01T00:00:00Z'),
      })
      .execute();
    const response = await api.call('viewer', { method: 'GET', url: `${base}/images/${imageId}` });
    assert.equal(response.statusCode, 200, response.body);
    const body = json(response);
    const image = body['image'] as Record<string, unknown>;
    assert.equal(image['repository'], 'tools/cli');
    assert.equal(image['connectionName'], 'local');
    assert.equal(image['scanStatus'], 'failed');
    assert.equal(image['failureCode'], 'download_failed');
    assert.equal(image['riskLevel'], 'critical');
    assert.deepEqual(image['riskCounts'], counts);
    assert.deepEqual(image['platforms'], []);
    assert.equal(image['deletedAt'], null);
    const [platform, ...others] = body['platforms'] as Record<string, unknown>[];
    assert.equal(others.length, 0);
    assert.equal(platform?.['riskLevel'], 'critical');
    assert.deepEqual(platform?.['riskTypes'], ['vulnerability', 'secret']);
    assert.ok(!('report' in (platform ?? {})));

    const missing = await api.call('viewer', { method: 'GET', url: `${base}/images/${randomUUID()}` });
    assert.equal(missing.statusCode, 404);
    assert.equal(json(missing)['code'], 'not_found');
    assert.equal(
      (await api.call('billing', { method: 'GET', url: `${base}/images/${imageId}` })).statusCode,
      403,
    );
    await db.deleteFrom('scanResult').where('id', '=', resultId).execute();
  });

  test('export jobs are listed newest first, paged and filtered, without their files', async () => {
    const created: string[] = [];
    for (const payload of [
      { kind: 'inventory', format: 'csv' },
      { kind: 'secret', format: 'json' },
    ]) {
      const response = await api.call('viewer', { method: 'POST', url: `${base}/exports`, payload });
      assert.equal(response.statusCode, 202, response.body);
      created.push(String(json(response)['id']));
    }
    await api.env.service.results.settle();
    const listed = await api.call('viewer', { method: 'GET', url: `${base}/exports` });
    assert.equal(listed.statusCode, 200, listed.body);
    const page = json(listed);
    assert.equal(page['total'], 2);
    assert.equal(page['limit'], 50);
    const jobs = page['exports'] as { id: string; status: string; createdAt: string; kind: string }[];
    assert.deepEqual(jobs.map((job) => job.id).sort(), [...created].sort());
    const newestFirst = [...jobs].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
    );
    assert.deepEqual(jobs, newestFirst);
    assert.ok(jobs.every((job) => job.status === 'finished' && !('content' in job)));
    // A JSON export downloads as the document itself, not as a JSON string holding it.
    const secretJob = jobs.find((job) => job.kind === 'secret');
    const document = await api.call('viewer', {
      method: 'GET',
      url: `${base}/exports/${String(secretJob?.id)}/download`,
    });
    assert.equal(document.statusCode, 200, document.body);
    assert.equal(typeof JSON.parse(document.body), 'object');

    const second = json(await api.call('viewer', { method: 'GET', url: `${base}/exports?limit=1&offset=1` }));
    assert.deepEqual(
      (second['exports'] as { id: string }[]).map((job) => job.id),
      [jobs[1]?.id],
    );
    const queued = json(
      await api.call('viewer', { method: 'GET', url: `${base}/exports?status=queued,running` }),
    );
    assert.equal(queued['total'], 0);
    assert.equal(
      (await api.call('viewer', { method: 'GET', url: `${base}/exports?status=lost` })).statusCode,
      400,
    );
    assert.equal((await api.call('billing', { method: 'GET', url: `${base}/exports` })).statusCode, 403);
  });

  test('the vulnerability database: status and a conditional download of the file in use', async () => {
    const status = async (): Promise<Record<string, unknown>> =>
      json(await api.call('viewer', { method: 'GET', url: '/api/v1/vulnerability-database' }));
    const download = (headers: Record<string, string> = {}) =>
      api.call('viewer', { method: 'GET', url: '/api/v1/vulnerability-database/file', headers });

    assert.deepEqual(await status(), { available: false });
    const none = await download();
    assert.equal(none.statusCode, 404, none.body);
    assert.equal(json(none)['code'], 'not_found');

    await api.env.service.rematch(firstDatabase);
    const firstBytes = await readFile(firstDatabase);
    const first = await status();
    assert.equal(first['available'], true);
    assert.equal(first['sha256'], sha256(firstBytes));
    assert.equal(first['size'], firstBytes.length);
    assert.equal(first['records'], 1);
    assert.equal((first['feeds'] as { feed: string }[])[0]?.feed, 'test');
    assert.equal(typeof first['builtAt'], 'string');
    assert.equal(typeof first['ageSeconds'], 'number');
    assert.ok(!JSON.stringify(first).includes(work), 'the path is never shown');

    const file = await download();
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'application/vnd.sqlite3');
    assert.equal(file.headers['content-length'], String(firstBytes.length));
    const etag = `"${sha256(firstBytes)}"`;
    assert.equal(file.headers['etag'], etag);
    assert.ok(file.rawPayload.equals(firstBytes));

    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const unchanged = await download({ 'if-none-match': ifNoneMatch });
      assert.equal(unchanged.statusCode, 304, ifNoneMatch);
      assert.equal(unchanged.headers['etag'], etag);
      assert.ok(unchanged.headers['x-request-id']);
      assert.equal(unchanged.rawPayload.length, 0);
    }
    assert.equal((await download({ 'if-none-match': '"other"' })).statusCode, 200);
    const anonymous = await api.call(undefined, {
      method: 'GET',
      url: '/api/v1/vulnerability-database/file',
    });
    assert.equal(anonymous.statusCode, 401);

    // `drydock db update` renames a new file over the path: until the service loads it, workers
    // still get the file the scans match against.
    await rename(secondDatabase, firstDatabase);
    const secondBytes = await readFile(firstDatabase);
    const stale = await download();
    assert.equal(stale.headers['etag'], etag);
    assert.ok(stale.rawPayload.equals(firstBytes));

    await api.env.service.rematch(firstDatabase);
    const second = await status();
    assert.equal(second['sha256'], sha256(secondBytes));
    assert.equal(second['records'], 2);
    const fresh = await download({ 'if-none-match': etag });
    assert.equal(fresh.statusCode, 200);
    assert.equal(fresh.headers['etag'], `"${sha256(secondBytes)}"`);
    assert.ok(fresh.rawPayload.equals(secondBytes));
  });
});
