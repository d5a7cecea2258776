/**
 * Load benchmark (issue 12, "the API under 50 concurrent clients for 2 minutes while a scan task
 * runs: no error, latency figures printed"). The embedded service as `drydock serve` runs it
 * (PGlite, in-process workers, the real API with its authenticator) holding BENCH_LOAD_IMAGES
 * (2,000) scanned images stored through the service's own result code (bench/service-fleet-store.ts,
 * inventories of real packages from ../shared/vulndata) plus a real registry of
 * BENCH_LOAD_SCAN_IMAGES (200) images sharing a base layer, which a scan task scans during the whole
 * window (at BENCH_LOAD_SPEED_LIMIT, 1,000 images/hour, the service's highest limit, it outlasts
 * the window). BENCH_LOAD_CLIENTS (50) autocannon clients in a process of their own go round the main read routes (image list with filters, risk views,
 * task status and list, report sections) for BENCH_LOAD_SECONDS (120). Prints requests/s,
 * p50/p95/p99/max, errors and non-2xx, and the scan task's progress during the window; exits 1
 * on any error or non-2xx response.
 *
 *   npm run bench:load
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { importSource, openVulnerabilityDatabase, rematchReport, type ImageReport } from '@drydock/engine';
import { riskTypes, startApiServer } from '@drydock/server';
import { storeScannedImages } from './service-fleet-store.ts';
import { connectAndSync, openEmbeddedService, sharedBaseRegistry } from './service-embedded.ts';
import { generateInventories, readVulndata, vulndataDir } from './service-inventories.ts';
import type { MixFigures, MixRequest } from './service-load-client.ts';
import { figure, loadAverage, publishPart } from './service-report.ts';

const run = promisify(execFile);
const settings = {
  images: Number(process.env['BENCH_LOAD_IMAGES'] ?? '2000'),
  scanImages: Number(process.env['BENCH_LOAD_SCAN_IMAGES'] ?? '200'),
  clients: Number(process.env['BENCH_LOAD_CLIENTS'] ?? '50'),
  seconds: Number(process.env['BENCH_LOAD_SECONDS'] ?? '120'),
} as const;

function progress(message: string): void {
  process.stderr.write(`[load ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

interface ProgressSample {
  readonly second: number;
  readonly done: number;
  readonly total: number;
  readonly status: string;
}

const work = await mkdtemp(join(tmpdir(), 'drydock-bench-load-'));
let fleet: Awaited<ReturnType<typeof sharedBaseRegistry>> | undefined;
let env: Awaited<ReturnType<typeof openEmbeddedService>> | undefined;
let api: Awaited<ReturnType<typeof startApiServer>> | undefined;
let failed: boolean | undefined;
try {
  const loadBefore = loadAverage();
  const databasePath = join(work, 'vulnerabilities.sqlite');
  await importSource(databasePath, vulndataDir);
  progress(`pushing ${settings.scanImages} images`);
  fleet = await sharedBaseRegistry(settings.scanImages);
  env = await openEmbeddedService(join(work, 'service'), databasePath);
  const { service, projectId } = env;

  progress(`storing ${settings.images} scanned images`);
  const stored = await service.connections.create(projectId, {
    name: 'stored',
    type: 'registry',
    url: 'http://127.0.0.1:9',
  });
  const database = openVulnerabilityDatabase(databasePath);
  const reports: ImageReport[] = [];
  for (const inventory of generateInventories(await readVulndata(), settings.images))
    reports.push({ ...inventory, vulnerabilities: rematchReport(inventory, database) });
  const imageIds = await storeScannedImages(
    { db: service.db, projectId, connectionId: stored.id, databaseBuiltAt: database.status().builtAt },
    reports,
  );
  database.close();
  reports.length = 0;
  const registryId = await connectAndSync(env, fleet.registry.url);

  api = await startApiServer({ service, port: 0, logger: false });
  const viewer = await api.access.createUser({ name: 'bench-viewer', password: 'bench viewer password 1' });
  await api.access.setMember(projectId, viewer.id, 'viewer');
  const { token } = await api.access.createToken(viewer.id, { name: 'bench' });

  // The service's highest speed limit (images/hour): the task outlasts the window; it is stopped after.
  const speedLimit = Number(process.env['BENCH_LOAD_SPEED_LIMIT'] ?? '1000');
  const task = await service.tasks.start(
    projectId,
    {
      scope: { kind: 'registries', connectionIds: [registryId] },
      riskTypes: [...riskTypes],
      speedLimit,
      acceptFee: true,
    },
    'bench',
  );
  const base = `/api/v1/projects/${projectId}`;
  const sampleImages = [imageIds[0], imageIds[Math.floor(imageIds.length / 2)], imageIds.at(-1)].filter(
    (id): id is string => id !== undefined,
  );
  const paths = [
    `${base}/images?limit=50`,
    `${base}/risks/vulnerability?limit=50`,
    `${base}/scan-tasks/${task.id}`,
    `${base}/images?limit=50&name=service-1`,
    `${base}/risks/vulnerability?limit=50&severity=high`,
    ...sampleImages.map((id) => `${base}/images/${id}/report/summary`),
    `${base}/images?limit=50&status=succeeded`,
    `${base}/risks/inventory?limit=50`,
    `${base}/scan-tasks?limit=20`,
    ...sampleImages.map((id) => `${base}/images/${id}/report/vulnerabilities`),
  ];
  for (const path of paths) {
    const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} before the load`);
    await response.arrayBuffer();
  }

  progress(`${settings.clients} clients for ${settings.seconds} s`);
  const samples: ProgressSample[] = [];
  const started = performance.now();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const current = await service.tasks.get(projectId, task.id);
      const done = current.counts.succeeded + current.counts.failed;
      samples.push({
        second: (performance.now() - started) / 1000,
        done,
        total: current.counts.total,
        status: current.status,
      });
      await delay(10_000);
    }
  })();
  const request: MixRequest = {
    url: api.url,
    token,
    paths,
    connections: settings.clients,
    durationSeconds: settings.seconds,
    timeoutSeconds: 30,
  };
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'service-load-client.ts'), JSON.stringify(request)],
    { maxBuffer: 1 << 20 },
  );
  sampling = false;
  await sampler;
  const figures = JSON.parse(stdout) as MixFigures;
  const final = await service.tasks.get(projectId, task.id);
  await service.tasks.stop(projectId, task.id);
  const loadAfter = loadAverage();

  const first = samples[0];
  const last = samples.at(-1);
  const ranThrough = last !== undefined && last.status === 'running';
  failed = figures.errors + figures.non2xx > 0;
  publishPart({
    title: `API under ${settings.clients} concurrent clients for ${settings.seconds} s while a scan task runs (embedded service)`,
    rows: [
      { measure: 'requests/s', value: figure(figures.requestsPerSecond, 0) },
      { measure: 'latency p50 (ms)', value: figure(figures.p50, 0) },
      { measure: 'latency p95 (ms)', value: figure(figures.p95, 0) },
      { measure: 'latency p99 (ms)', value: figure(figures.p99, 0) },
      { measure: 'latency max (ms)', value: figure(figures.max, 0) },
      {
        measure: 'errors (connection, timeout > 30 s)',
        value: String(figures.errors),
        target: '0',
        met: figures.errors === 0,
      },
      {
        measure: 'non-2xx responses',
        value: String(figures.non2xx),
        target: '0',
        met: figures.non2xx === 0,
      },
      {
        measure: 'scan task running through the window',
        value: ranThrough ? 'yes' : `no (${last?.status ?? 'unknown'})`,
        met: ranThrough,
      },
    ],
    notes: [
      `${figures.requests.toLocaleString('en')} requests answered 2xx${Object.keys(figures.statuses).length > 0 ? `; other statuses: ${JSON.stringify(figures.statuses)}` : ''}; each client goes round ${paths.length} paths: the image list (page 1, a name filter, a status filter), the vulnerability risk view (all, high), the inventory view, the task's status and the task list, and the summary and vulnerabilities sections of three images' reports`,
      `data: ${settings.images.toLocaleString('en')} stored scanned images (real package inventories, results, counts and finding index written by the service's code) and ${settings.scanImages} synced images of a local docker-registry sharing a base layer, which the task scans with every risk type at ${speedLimit} images/hour (BENCH_LOAD_SPEED_LIMIT; the service's highest limit keeps it running through the window; it is stopped after)`,
      `scan task progress (images done of ${first?.total ?? 0}): ${samples.map((sample) => `${sample.second.toFixed(0)} s: ${sample.done}`).join(', ')}; at the end of the window ${final.counts.succeeded} succeeded, ${final.counts.failed} failed, status ${final.status}`,
      `the service: PGlite in a data directory, ${env.workers} in-process scan worker(s), the API in the same process (as \`drydock serve\`); the clients (autocannon, keep-alive, one request in flight each) in a process of their own; a viewer's API token`,
      `load average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after: the machine is shared with other engineers' test runs`,
    ],
  });
} finally {
  await api?.app.close();
  await env?.close();
  await fleet?.registry.stop();
  await rm(work, { recursive: true, force: true });
}
if (failed !== false) process.exitCode = 1;
