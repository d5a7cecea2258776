/**
 * Throughput benchmark (issue 12, "throughput in images per minute for a registry of 200 images
 * sharing base layers", target 300 images/min with the layer cache). The embedded service as
 * `drydock serve` runs it by default (PGlite, in-process workers, bench/service-embedded.ts)
 * connected to a real registry of BENCH_THROUGHPUT_IMAGES (200) images, each a shared Alpine-like
 * base layer with real advisories plus a small layer of its own (bench/scale-out-images.ts). One
 * scan task over all of them with every risk type on a fresh database (cold: the layer cache is
 * empty), then a second task (warm: the base layer's analysis comes from the cache). Images per
 * minute from the task's start to its end. The floor: pulling what the task pulls, every manifest
 * and config and each distinct layer blob once, with as many requests at once as the connection
 * allows pulls.
 *
 *   npm run bench:throughput
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import type { TestRegistry } from '../test/harness/registry.ts';
import {
  connectAndSync,
  importAlpineDatabase,
  openEmbeddedService,
  sharedBaseRegistry,
  startFullScan,
  waitForTask,
  type EmbeddedService,
} from './service-embedded.ts';
import { benchRuns, figure, loadAverage, publishPart, ratio } from './service-report.ts';
import { unpackReport } from '../packages/server/src/store/packed-report.ts';

const imageCount = Number(process.env['BENCH_THROUGHPUT_IMAGES'] ?? '200');
const targetPerMinute = 300;
/** The connection's default concurrent pulls. */
const pulls = 4;

function progress(message: string): void {
  process.stderr.write(`[throughput ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

interface TaskRun {
  readonly seconds: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Layers whose analysis came from the layer cache, over all results of the task. */
  readonly cachedLayers: number;
  readonly layers: number;
}

async function runTask(env: EmbeddedService): Promise<TaskRun> {
  const task = await startFullScan(env);
  const final = await waitForTask(env, task.id, 30 * 60_000);
  // The service's own times: the wait above polls once a second.
  const seconds = ((final.finishedAt?.getTime() ?? Date.now()) - final.createdAt.getTime()) / 1000;
  const reports = await env.service.db
    .selectFrom('scanResult')
    .select('report')
    .where('taskId', '=', task.id)
    .execute();
  let layers = 0;
  let cachedLayers = 0;
  for (const { report } of reports) {
    // Stored packed (store/packed-report.ts), as every report is.
    const list = (unpackReport(report) as { layers?: readonly { fromCache?: boolean }[] }).layers ?? [];
    layers += list.length;
    cachedLayers += list.filter((layer) => layer.fromCache === true).length;
  }
  return { seconds, succeeded: final.counts.succeeded, failed: final.counts.failed, cachedLayers, layers };
}

/** GETs `paths` from the registry, `concurrency` at a time, reading every byte. */
async function fetchAll(base: string, paths: readonly string[], concurrency: number): Promise<number> {
  let next = 0;
  let bytes = 0;
  const accept =
    'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const path = paths[next++];
      const response = await request(`${base}${path}`, { headers: { accept } });
      if (response.statusCode !== 200) throw new Error(`${path}: HTTP ${response.statusCode}`);
      for await (const chunk of response.body) bytes += (chunk as Buffer).length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return bytes;
}

/** The floor: every manifest, then each distinct config and layer blob once. */
async function pullFloor(registry: TestRegistry, references: readonly string[]): Promise<number> {
  const started = performance.now();
  const manifests = references.map((reference) => {
    const [repository, tag] = reference.split(':');
    return { repository: repository ?? '', path: `/v2/${repository}/manifests/${tag}` };
  });
  await fetchAll(
    registry.url,
    manifests.map((manifest) => manifest.path),
    pulls,
  );
  const blobs = new Map<string, string>();
  for (const { repository, path } of manifests) {
    const response = await request(`${registry.url}${path}`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    const manifest = (await response.body.json()) as {
      config: { digest: string };
      layers: readonly { digest: string }[];
    };
    for (const { digest } of [manifest.config, ...manifest.layers])
      if (!blobs.has(digest)) blobs.set(digest, `/v2/${repository}/blobs/${digest}`);
  }
  const listing = (performance.now() - started) / 1000;
  const fetched = performance.now();
  await fetchAll(registry.url, [...blobs.values()], pulls);
  // The manifests were read twice (once to learn the blobs): count them once.
  return listing / 2 + (performance.now() - fetched) / 1000;
}

const work = await mkdtemp(join(tmpdir(), 'drydock-bench-throughput-'));
let fleet: Awaited<ReturnType<typeof sharedBaseRegistry>> | undefined;
try {
  const loadBefore = loadAverage();
  progress(`pushing ${imageCount} images`);
  fleet = await sharedBaseRegistry(imageCount);
  const databasePath = await importAlpineDatabase(work);
  const runs: { cold: TaskRun; warm: TaskRun; workers: number }[] = [];
  for (let run = 0; run < benchRuns(); run += 1) {
    // A fresh database each run: the layer cache lives in it, so the first task starts cold.
    const dir = await mkdtemp(join(work, 'service-'));
    const env = await openEmbeddedService(dir, databasePath);
    try {
      await connectAndSync(env, fleet.registry.url);
      progress(`run ${run + 1}: cold task`);
      const cold = await runTask(env);
      progress(`run ${run + 1}: cold ${cold.seconds.toFixed(1)} s; warm task`);
      const warm = await runTask(env);
      progress(`run ${run + 1}: warm ${warm.seconds.toFixed(1)} s`);
      runs.push({ cold, warm, workers: env.workers });
    } finally {
      await env.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
  const floors: number[] = [];
  for (let run = 0; run < benchRuns(); run += 1)
    floors.push(await pullFloor(fleet.registry, fleet.pushed.references));
  const floorSeconds = Math.min(...floors);
  const floorRate = (imageCount / floorSeconds) * 60;
  const bestCold = runs.reduce((a, b) => (b.cold.seconds < a.cold.seconds ? b : a)).cold;
  const bestWarm = runs.reduce((a, b) => (b.warm.seconds < a.warm.seconds ? b : a)).warm;
  const rate = (task: TaskRun) => (task.succeeded / task.seconds) * 60;
  const loadAfter = loadAverage();
  publishPart({
    title: `Throughput: ${imageCount} images sharing a base layer, embedded service`,
    rows: [
      {
        measure: 'warm task (layer cache filled), images/min',
        value: figure(rate(bestWarm), 0),
        floor: figure(floorRate, 0),
        ratio: ratio(rate(bestWarm), floorRate),
        target: `≥ ${targetPerMinute}`,
        met: rate(bestWarm) >= targetPerMinute,
      },
      {
        measure: 'cold task (empty layer cache), images/min',
        value: figure(rate(bestCold), 0),
        floor: figure(floorRate, 0),
        ratio: ratio(rate(bestCold), floorRate),
        target: `≥ ${targetPerMinute}`,
        met: rate(bestCold) >= targetPerMinute,
      },
      { measure: 'warm task, task start → end (s)', value: figure(bestWarm.seconds) },
      { measure: 'cold task, task start → end (s)', value: figure(bestCold.seconds) },
      { measure: 'floor: pull manifests + distinct blobs (s)', value: figure(floorSeconds, 2) },
    ],
    notes: [
      `images: ${imageCount} in ${fleet.pushed.repositories} repositories, each a shared base layer (${(fleet.pushed.base.compressedBytes / 2 ** 20).toFixed(1)} MB compressed, ${fleet.pushed.base.files} files, ${fleet.pushed.base.packages} Alpine 3.10 packages with advisories) plus a ${fleet.pushed.ownLayerBytes}-byte layer of its own, on a local docker-registry`,
      `the service: PGlite in a data directory, ${runs[0]?.workers ?? 0} in-process scan worker(s) as \`drydock serve\` starts on this machine's cores, ${pulls} concurrent pulls (the connection's default), every risk type, the Alpine records imported with \`drydock db import\`; a fresh database per run`,
      `succeeded/failed: cold ${bestCold.succeeded}/${bestCold.failed}, warm ${bestWarm.succeeded}/${bestWarm.failed}; layers from the cache: cold ${bestCold.cachedLayers} of ${bestCold.layers}, warm ${bestWarm.cachedLayers} of ${bestWarm.layers}`,
      `runs (s, cold / warm): ${runs.map((run) => `${run.cold.seconds.toFixed(1)} / ${run.warm.seconds.toFixed(1)}`).join(', ')}; best of ${runs.length}; time from the task's creation to its end as the service reports it`,
      `load average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after: the machine is shared with other engineers' test runs`,
    ],
  });
} finally {
  await fleet?.registry.stop();
  await rm(work, { recursive: true, force: true });
}
