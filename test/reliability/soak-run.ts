import { setFlagsFromString } from 'node:v8';
import { listerFactory } from '@drydock/server';
import { runInNewContext } from 'node:vm';
import { setTimeout as delay } from 'node:timers/promises';
import type { FaultKind, FaultRates } from '../harness/fault-plan.ts';
import { FaultProxy } from '../harness/fault-proxy.ts';
import { buildIndex, buildTestImage, RegistryPusher, type TestImage } from '../harness/registry-push.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { connectRegistry, startTestService, type TestService } from '../harness/service.ts';
import { isFinalImageStatus, type MemorySample, type RoundReport, type SoakReport } from './soak-report.ts';

export interface SoakOptions {
  /** How long to scan with faults on; a last round without faults follows. */
  readonly seconds: number;
  readonly seed: number;
  readonly images: number;
  readonly rates: FaultRates;
  /** Longest wait for one round's task before it counts as a hang and the run ends. */
  readonly roundBoundMs: number;
  /** Told about each round as it ends (the long run prints progress). */
  readonly onRound?: (round: RoundReport) => void;
}

/** Per read; about one image in six meets a fault on some read, and the retries save most of them. */
export const defaultSoakRates: FaultRates = {
  drop: 0.02,
  stall: 0.01,
  server_error: 0.03,
  rate_limited: 0.02,
  corrupt: 0.02,
  wrong_digest: 0.02,
};

/**
 * Short limits so stalls end in seconds: the registry client gives up on a silent answer after a
 * second (`download_failed`, reason `stalled`, or a headers timeout, which it retries), and a scan
 * that stalls again and again ends at the scan time limit (`timed_out`). The limit leaves a
 * loaded CI machine room: a scan without faults takes well under a second.
 */
const registryTimeouts = { connectMs: 1000, headersMs: 1000, bodyIdleMs: 1000 };
const scanTimeoutMs = 10_000;

/** Every third round is stopped a few seconds in, while scans hold stalled or failing reads. */
const stopEveryRounds = 3;
const stopAfterMsInRound = 3000;

/** A full collection before each sample, so the heap figure is what is still referenced. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc !== 'function') throw new Error('gc is not exposed');
  return () => (gc as () => void)();
}

/**
 * `count` images, each alone in its repository (so a fault is told to one image by its path): a
 * base layer they share and a layer of their own that does not compress (so a dropped connection
 * cuts a real body). Every sixth is an index of two platforms, scanned as two task rows. Returns
 * the rows a task over all of them has.
 */
async function pushSoakImages(registry: TestRegistry, count: number): Promise<number> {
  const pusher = new RegistryPusher(registry);
  const base = { 'etc/os-release': 'ID=soak\nVERSION_ID=1\n' };
  const build = (index: number, architecture: string, variant?: string): Promise<TestImage> => {
    const noise = Buffer.alloc(32 * 1024);
    for (let offset = 0; offset < noise.length; offset += 1)
      noise[offset] = (offset * 2654435761 + index * 97 + architecture.length) >>> 24;
    return buildTestImage({
      architecture,
      ...(variant ? { variant } : {}),
      layers: [base, { [`srv/app-${index}.bin`]: noise }],
    });
  };
  let rows = 0;
  for (let index = 0; index < count; index += 1) {
    const repository = `soak/app-${String(index).padStart(3, '0')}`;
    if (index % 6 !== 5) {
      await pusher.pushImage(repository, 'latest', await build(index, 'amd64'));
      rows += 1;
      continue;
    }
    const amd64 = await build(index, 'amd64');
    const arm64 = await build(index, 'arm64', 'v8');
    const imageIndex = buildIndex([
      { image: amd64, platform: { os: 'linux', architecture: 'amd64' } },
      { image: arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ]);
    await pusher.pushIndex(repository, 'latest', imageIndex, [amd64, arm64]);
    rows += 2;
  }
  return rows;
}

async function runRound(
  env: TestService,
  proxy: FaultProxy,
  round: number,
  faultsOn: boolean,
  roundBoundMs: number,
  stopAfterMs: number | undefined,
): Promise<RoundReport> {
  const { service, projectId } = env;
  // The inventory is synced through the faults too: a listing that fails must not lose images.
  const sync = await service.sync.sync(projectId, { trigger: 'manual' });
  const firstInjection = proxy.injections.length;
  const started = Date.now();
  const task = await service.tasks.start(
    projectId,
    { scope: { kind: 'all' }, riskTypes: ['secret'], acceptFee: true },
    'soak',
  );
  let imagesDoneAt: number | undefined;
  let stopped = false;
  let status: string;
  for (;;) {
    await delay(200);
    if (stopAfterMs !== undefined && !stopped && Date.now() - started >= stopAfterMs) {
      await service.tasks.stop(projectId, task.id);
      stopped = true;
    }
    status = (await service.tasks.get(projectId, task.id)).status;
    const images = await service.tasks.images(task.id);
    if (imagesDoneAt === undefined && images.every((image) => isFinalImageStatus(image.status)))
      imagesDoneAt = Date.now();
    if (!['running', 'stopping'].includes(status)) break;
    if (Date.now() - started > roundBoundMs) break;
  }
  const ended = Date.now();
  const faults = new Map<string, FaultKind[]>();
  for (const injection of proxy.injections.slice(firstInjection))
    faults.set(injection.repository, [...(faults.get(injection.repository) ?? []), injection.kind]);
  const images = await service.tasks.images(task.id);
  const finished = !['running', 'stopping'].includes(status);
  return {
    round,
    faultsOn,
    stopped,
    sync: {
      status: sync.status,
      deleted: sync.counts.deleted,
      errors: sync.errors.map((error) => `${error.code}: ${error.message}`),
    },
    taskStatus: status,
    images: images.map((image) => ({
      repository: image.repository,
      platform: image.platform,
      status: image.status,
      failureCode: image.failureCode,
      failureMessage: image.failureMessage,
      faults: faults.get(image.repository) ?? [],
    })),
    imagesDoneMs: imagesDoneAt === undefined ? null : imagesDoneAt - started,
    taskEndLagMs: imagesDoneAt === undefined || !finished ? null : Math.max(0, ended - imagesDoneAt),
  };
}

/**
 * A real registry with `images` pushed images behind a FaultProxy, and the in-process service (on
 * PGlite, ticking on its own, layer cache off so every scan pulls every layer) scanning all of
 * them in one task after another for `seconds`, then once more with faults off. Memory of this
 * process (service, workers and proxy) is sampled after a GC every few seconds from the end of the
 * first round on.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const gc = collector();
  const registry = await startRegistry();
  let proxy: FaultProxy | undefined;
  let env: TestService | undefined;
  const memory: MemorySample[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    const scansPerRound = await pushSoakImages(registry, options.images);
    proxy = await FaultProxy.start(registry.url, { seed: options.seed, rates: {}, stallMs: 'forever' });
    env = await startTestService({
      tickMs: 200,
      // The sync's listing reads through the same faults, with the same short limits.
      listers: listerFactory({ registryOptions: { timeouts: registryTimeouts } }),
      engines: { layerCacheMaxBytes: 0 },
      worker: { stopPollMs: 200, scanTimeoutMs, registryTimeouts },
    });
    await connectRegistry(env, proxy.url, { name: 'faulty' });
    proxy.setRates(options.rates);
    const rounds: RoundReport[] = [];
    const begin = Date.now();
    const sample = (): void => {
      gc();
      const usage = process.memoryUsage();
      memory.push({ atMs: Date.now() - begin, heapUsed: usage.heapUsed, rss: usage.rss });
    };
    const sampleEveryMs = Math.max(2000, (options.seconds * 1000) / 60);
    while (Date.now() - begin < options.seconds * 1000) {
      const number = rounds.length + 1;
      const stopAfterMs = number % stopEveryRounds === 0 ? stopAfterMsInRound : undefined;
      const round = await runRound(env, proxy, number, true, options.roundBoundMs, stopAfterMs);
      rounds.push(round);
      options.onRound?.(round);
      if (round.taskEndLagMs === null) break;
      if (!sampler) {
        sample();
        sampler = setInterval(sample, sampleEveryMs);
      }
    }
    if (sampler) clearInterval(sampler);
    sample();
    proxy.setRates({});
    const last = await runRound(env, proxy, rounds.length + 1, false, options.roundBoundMs, undefined);
    rounds.push(last);
    options.onRound?.(last);
    return {
      seconds: options.seconds,
      seed: options.seed,
      images: options.images,
      scansPerRound,
      rounds,
      injected: proxy.counts(),
      memory,
    };
  } finally {
    if (sampler) clearInterval(sampler);
    await env?.close();
    await proxy?.stop();
    await registry.stop();
  }
}
