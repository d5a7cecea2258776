/**
 * Scale-out benchmark (issue 9, "Scale-out"): the dispatch overhead per image job under load
 * (enqueue to start, and finish to next start; target under 50 ms at the median) and the
 * throughput of 1, 2 and 4 `drydock worker` processes on images that share a base layer, plus the
 * database size per scanned image and the images per hour per worker core that deploy/SIZING.md
 * quotes. It prints figures; it asserts nothing about time.
 *
 * 1. A throwaway PostgreSQL (test/harness/postgres.ts) and a registry with Basic authentication
 *    (test/harness/registry.ts); BENCH_SCALE_IMAGES images pushed over a few repositories, each a
 *    shared Alpine-like base layer of a few MB plus a small layer of its own
 *    (bench/scale-out-images.ts); the Alpine records of ../shared/vulndata imported with
 *    `drydock db import` as the processes' vulnerability database, so scans match real advisories.
 * 2. Per round (bench/scale-out-round.ts), a fresh database, so each round starts with an empty
 *    layer cache (it lives in the database) and writes the same rows: the project, registry
 *    connection and inventory sync made by an in-process service without workers or ticks; then
 *    `drydock serve --workers 0` (API, scheduler, dispatcher) and N `drydock worker --workers 1`
 *    processes, all with the same DRYDOCK_SECRET_KEY; once every process answers its /readyz, a
 *    manual task over all images, which only the child processes dispatch and scan.
 * 3. From the task's rows (scan_task_image): images per minute (first start to last finish), the
 *    scan time per image, and the dispatch overhead as distributions (bench/scale-out-figures.ts);
 *    from /proc, the CPU the workers, serve and PostgreSQL spent during the task.
 * 4. The database size (bench/scale-out-sizes.ts): in one more fresh database, with serve and one
 *    worker, half the images scanned, then the other half, then all again, the database packed
 *    (`vacuum full`) and measured per table after each step: what is paid once, per image, and per
 *    further scan.
 *
 * The connection's concurrent pulls are the round's scan slots (workers × BENCH_SCALE_QUEUE):
 * enough that every worker is busy, and with a queue depth of 1 a job the dispatcher sends finds an
 * idle worker, so enqueue to start is the hand-over alone, not time spent behind other scans. A
 * round `NxD` runs N workers with D pulls per worker instead; the default adds `1x4`, one worker
 * with jobs always waiting in the queue, which takes the dispatcher off the worker's path.
 *
 *   npm run bench:scale
 *   BENCH_SCALE_IMAGES=20 BENCH_SCALE_ROUNDS=1,2 npm run bench:scale      (a quick run)
 *
 * Environment: BENCH_SCALE_IMAGES (200), BENCH_SCALE_ROUNDS (`1,2,4,1x4`), BENCH_SCALE_QUEUE (pulls
 * per worker when a round does not say, 1), BENCH_SCALE_REPOSITORIES (8), BENCH_SCALE_BASE_MB
 * (library bytes of the base layer, 4), BENCH_SCALE_PACKAGES (apk packages in the base, 60),
 * BENCH_SCALE_ROUND_TIMEOUT (seconds a task may take, 900), BENCH_SCALE_KEEP_LOGS=DIR (copy the
 * processes' logs there at the end).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { defaultDatabasePath } from '@drydock/engine';
import { startPostgres, type TestPostgres } from '../test/harness/postgres.ts';
import { startRegistry, type TestRegistry } from '../test/harness/registry.ts';
import { postmasterPid } from './api-cpu.ts';
import { registryPid } from './scale-out-load.ts';
import { alpineRecords, pushScaleOutImages, type PushedImages } from './scale-out-images.ts';
import { ProcessGroup } from './scale-out-processes.ts';
import {
  contentLine,
  cpuTable,
  dispatchTable,
  mb,
  ms,
  segmentTable,
  singleWorker,
  sizeSummary,
  sizeTable,
  throughputTable,
} from './scale-out-report.ts';
import { measureSizes, type SizePhase } from './scale-out-sizes.ts';
import { runRound, type RoundContext, type RoundOutcome, type RoundSpec } from './scale-out-round.ts';

const run = promisify(execFile);
const cliEntry = join(import.meta.dirname, '..', 'packages', 'cli', 'src', 'main.ts');

function numberFromEnv(name: string, fallback: number, least = 1): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < least)
    throw new Error(`${name} must be a number ≥ ${least}, not ${text}`);
  return value;
}

function roundsFromEnv(queue: number): RoundSpec[] {
  const text = process.env['BENCH_SCALE_ROUNDS'] || '1,2,4,1x4';
  return text.split(',').map((part): RoundSpec => {
    const match = /^\s*(\d+)(?:x(\d+))?\s*$/.exec(part);
    const workers = Number(match?.[1]);
    const depth = match?.[2] === undefined ? queue : Number(match[2]);
    if (!match || workers < 1 || workers > 16 || depth < 1 || workers * depth > 64)
      throw new Error(`BENCH_SCALE_ROUNDS: "${part}" is not N or NxD (1 ≤ N ≤ 16, N × D ≤ 64)`);
    const named = `${workers} ${workers === 1 ? 'worker' : 'workers'}`;
    return {
      workers,
      pulls: workers * depth,
      label: match[2] === undefined ? named : `${named}, ${workers * depth} pulls`,
    };
  });
}

const settings = {
  images: Math.round(numberFromEnv('BENCH_SCALE_IMAGES', 200, 2)),
  rounds: roundsFromEnv(Math.round(numberFromEnv('BENCH_SCALE_QUEUE', 1))),
  repositories: Math.round(numberFromEnv('BENCH_SCALE_REPOSITORIES', 8)),
  baseBytes: Math.round(numberFromEnv('BENCH_SCALE_BASE_MB', 4, 0.1) * 2 ** 20),
  packages: Math.round(numberFromEnv('BENCH_SCALE_PACKAGES', 60)),
  taskTimeoutMs: numberFromEnv('BENCH_SCALE_ROUND_TIMEOUT', 900) * 1000,
  keepLogs: process.env['BENCH_SCALE_KEEP_LOGS'] || undefined,
} as const;

const out = (text: string) => process.stdout.write(`${text}\n`);
const progress = (text: string) => process.stderr.write(`${text}\n`);
const load1 = () => loadavg()[0]?.toFixed(1) ?? '?';

/** Imports the Alpine records with the real CLI into the default path under `cacheDir`. */
async function importVulnerabilityDatabase(cacheDir: string): Promise<void> {
  const file = defaultDatabasePath({ DRYDOCK_CACHE_DIR: cacheDir });
  await run(
    process.execPath,
    ['--import', 'tsx', cliEntry, 'db', 'import', alpineRecords, '--db', file, '--no-progress'],
    { env: { ...process.env, NO_COLOR: '1', DRYDOCK_CACHE_DIR: cacheDir }, maxBuffer: 1 << 22 },
  );
}

async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ server_version: string }>('show server_version');
    return result.rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}

function report(
  outcomes: readonly RoundOutcome[],
  sizes: SizePhase,
  pushed: PushedImages,
  run: { readonly postgresVersion: string; readonly loadBefore: string; readonly seconds: number },
): void {
  const cores = cpus().length;
  out(
    `machine: ${cores} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ` +
      `PostgreSQL ${run.postgresVersion} (test/harness/postgres.ts settings); every process, the registry and PostgreSQL on these ${cores} cores`,
  );
  out(
    `images: ${settings.images} in ${pushed.repositories} repositories, each a shared base layer of ` +
      `${mb(pushed.base.compressedBytes)} compressed (${mb(pushed.base.uncompressedBytes)} uncompressed, ${pushed.base.files} files, ` +
      `${pushed.base.packages} apk packages of Alpine v3.10 with advisories) plus its own layer of ${pushed.ownLayerBytes} bytes; ` +
      'every risk type; a fresh database per round (empty layer cache)',
  );
  out(
    'processes: drydock serve --database URL --workers 0 and N × drydock worker --database URL --workers 1 ' +
      `(each ready by its /readyz before the task starts); load average (1 min) before the rounds: ${run.loadBefore}, after: ${load1()}; ` +
      `${run.seconds.toFixed(0)} s in all`,
  );
  out('');
  for (const line of throughputTable(outcomes)) out(line);
  out('');
  for (const line of cpuTable(outcomes, cores)) out(line);
  out('');
  out(
    'images/min: images over first started_at → last finished_at. no-gap: scan slots × 60 s / mean scan time ' +
      '(started_at → finished_at) of the same round, the rate with nothing between scans; achieved / no-gap is ' +
      'the share of slot time spent scanning. CPU: utime + stime from /proc from the task start to its end, per ' +
      "image; worker cores busy: the workers' CPU seconds over that time; machine cores busy: /proc/stat over " +
      "that time, everything on the machine. Index lock: the finding index's per-project lock (taken for each " +
      'result written), pg_locks and pg_stat_activity sampled every 25 ms: the share of samples in which it was ' +
      "held, that share of the task time per result, and backends waiting for it. The sampler's own queries are " +
      "in PostgreSQL's CPU. Peak RSS: VmHWM at the task's end (the largest worker's).",
  );
  out('');
  for (const line of dispatchTable(outcomes)) out(line);
  out('');
  for (const line of segmentTable(outcomes)) out(line);
  out('');
  out(
    `task created → first dispatch (ms): ${outcomes.map((o) => `${o.spec.label} ${ms(o.times.firstDispatchMs)}`).join('; ')}`,
  );
  out('');
  out(
    "enqueue → start: started_at − dispatched_at; dispatched_at is the dispatching process's clock at the start " +
      "of its dispatch transaction (one value for the jobs of one round; a job is visible at the commit), started_at the worker's clock " +
      'when it marks the row scanning. finish → next start, where there is one scan slot and it is exact: each ' +
      "started_at minus the finished_at before it; finished_at is the worker's clock when it begins writing the " +
      'outcome, so the gap holds writing the result, the finding index, the task check and the next dispatch. ' +
      "Segments: pg-boss's started_on (the fetch) and completed_on (the worker reported the job done), PostgreSQL's " +
      'now() of those statements. One machine, one system clock.',
  );
  const single = singleWorker(outcomes);
  if (single) {
    out('');
    out(
      `sizing (1 worker): ${(single.times.imagesPerMinute * 60).toFixed(0)} images/hour per worker process of one scan slot, which kept ` +
        `${(single.cpu.workers / single.cpu.seconds).toFixed(2)} cores busy: ${((single.times.succeeded / single.cpu.workers) * 3600).toFixed(0)} images/hour per ` +
        `worker core (images over worker CPU seconds); per image besides: serve ${(single.cpu.serve / single.times.succeeded).toFixed(3)} s, ` +
        `PostgreSQL ${(single.cpu.postgres / single.times.succeeded).toFixed(3)} s of CPU`,
    );
  }
  out('');
  out(
    `Database size (a fresh database, serve and 1 worker with ${sizes.pulls} concurrent pull${sizes.pulls === 1 ? '' : 's'}; after the sync ${mb(sizes.synced.database)} packed): ` +
      `${sizes.firstHalf.scans} images scanned, then ${sizes.secondHalf.scans} more, then all ${sizes.rescan.scans} again` +
      (sizes.firstHalf.failed + sizes.secondHalf.failed + sizes.rescan.failed > 0
        ? ` (${sizes.firstHalf.failed + sizes.secondHalf.failed + sizes.rescan.failed} scans did not succeed)`
        : ''),
  );
  out('');
  for (const line of sizeTable(sizes)) out(line);
  out('');
  for (const line of sizeSummary(sizes)) out(line);
  out(contentLine(sizes.content, sizes.firstHalf.scans + sizes.secondHalf.scans));
}

const started = performance.now();
const workDir = await mkdtemp(join(tmpdir(), 'drydock-bench-scale-'));
// Ctrl-C or a closed output pipe skip the `finally` below: exit handlers (here, ProcessGroup's and
// the harness's) still end the processes, and this one removes the work directory.
const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
process.once('exit', removeWorkDir);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
let postgres: TestPostgres | undefined;
let registry: TestRegistry | undefined;
let group: ProcessGroup | undefined;
try {
  [postgres, registry] = await Promise.all([startPostgres(), startRegistry({ auth: 'basic' })]);
  progress(`pushing ${settings.images} images`);
  const pushed = await pushScaleOutImages(registry, settings.images, settings.repositories, {
    packages: settings.packages,
    libraryBytes: settings.baseBytes,
  });
  const cacheDir = join(workDir, 'cache');
  await mkdir(cacheDir, { recursive: true });
  progress('importing the Alpine vulnerability records');
  await importVulnerabilityDatabase(cacheDir);
  group = new ProcessGroup(workDir);
  const context: RoundContext = {
    postgres,
    registry,
    group,
    workDir,
    cacheDir,
    secretKey: randomBytes(32).toString('base64'),
    postmaster: await postmasterPid(postgres.url),
    registryPid: await registryPid(),
    images: settings.images,
    taskTimeoutMs: settings.taskTimeoutMs,
    progress,
  };
  const loadBefore = load1();
  const outcomes: RoundOutcome[] = [];
  for (const [index, spec] of settings.rounds.entries()) {
    progress(
      `round ${index + 1} of ${settings.rounds.length}: ${spec.label}, ${spec.pulls} concurrent pulls`,
    );
    outcomes.push(await runRound(context, spec, index + 1));
  }
  progress('database size: a fresh database, 1 worker');
  const sizes = await measureSizes(context, 'scale_sizes', 1);
  report(outcomes, sizes, pushed, {
    postgresVersion: await postgresVersion(postgres.url),
    loadBefore,
    seconds: (performance.now() - started) / 1000,
  });
} finally {
  await group?.stopAll();
  group?.close();
  if (settings.keepLogs)
    await cp(join(workDir, 'logs'), settings.keepLogs, { recursive: true }).catch(() => undefined);
  await postgres?.stop();
  await registry?.stop();
  await rm(workDir, { recursive: true, force: true });
  process.off('exit', removeWorkDir);
}
