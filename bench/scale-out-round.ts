/**
 * One round of the scale-out benchmark (bench/scale-out.ts): a fresh database, the project and its
 * inventory made in process, `drydock serve --workers 0` and N `drydock worker --workers 1`
 * processes, one manual task over every image, and what the round measured. The steps are
 * exported for the database size phase (bench/scale-out-sizes.ts), which runs them its own way.
 */
import { mkdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { DrydockService, type ScanScope } from '@drydock/server';
import type { TestPostgres } from '../test/harness/postgres.ts';
import type { TestRegistry } from '../test/harness/registry.ts';
import { postgresCpuSeconds } from './api-cpu.ts';
import {
  busyCores,
  LockWaitSampler,
  machineTicks,
  processCpuSeconds,
  type LockWaits,
} from './scale-out-load.ts';
import { roundTimes, taskJobTimes, type RoundTimes } from './scale-out-figures.ts';
import type { DrydockProcess, ProcessGroup } from './scale-out-processes.ts';

/** One round: worker processes (one scan slot each) and the connection's concurrent pulls. */
export interface RoundSpec {
  readonly workers: number;
  readonly pulls: number;
  readonly label: string;
}

/** CPU seconds spent while the task ran. */
export interface CpuUse {
  /** Every worker process together. */
  readonly workers: number;
  readonly serve: number;
  /** The postmaster and every backend, the in-process service's too (it only polls the task). */
  readonly postgres: number;
  /** The registry every scan pulls from (Basic authentication: a bcrypt check per request). */
  readonly registry: number;
  /** The whole machine's busy cores on average (/proc/stat), other people's work included. */
  readonly machineCores: number;
  /** Wall seconds between the two readings: the task's start to its end. */
  readonly seconds: number;
  /** Each worker's own, to see that the work was shared. */
  readonly perWorker: readonly number[];
  /** The largest peak resident memory of a worker, and serve's, in MB (VmHWM at the task's end). */
  readonly workerPeakRssMb: number;
  readonly servePeakRssMb: number;
}

export interface RoundOutcome {
  readonly spec: RoundSpec;
  /** Image jobs of the task (every image has one platform). */
  readonly jobs: number;
  readonly times: RoundTimes;
  readonly cpu: CpuUse;
  /** How often backends waited on an advisory lock (the finding index's, per project). */
  readonly lockWaits: LockWaits;
}

export interface RoundContext {
  readonly postgres: TestPostgres;
  readonly registry: TestRegistry;
  readonly group: ProcessGroup;
  readonly workDir: string;
  /** DRYDOCK_CACHE_DIR of every process: the vulnerability database's default place. */
  readonly cacheDir: string;
  readonly secretKey: string;
  /** The PostgreSQL server's main process, whose children are the backends. */
  readonly postmaster: number;
  /** The registry's process, for its CPU time; undefined when it cannot be found. */
  readonly registryPid: number | undefined;
  /** Images the sync must find. */
  readonly images: number;
  readonly taskTimeoutMs: number;
  readonly progress: (text: string) => void;
}

/** A fresh database with the project, the registry connection and the synced inventory. */
export interface RoundDatabase {
  readonly name: string;
  readonly url: string;
  /** In process, without workers or ticks: it starts tasks and reads them, and nothing else. */
  readonly service: DrydockService;
  readonly projectId: string;
}

/** serve and the workers of a round, started and ready. */
export interface Fleet {
  readonly serve: DrydockProcess;
  readonly workers: readonly DrydockProcess[];
  /** Workers first, serve last (it owns the dispatcher). */
  stop(): Promise<void>;
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.href;
}

/** Creates database `name`, migrates it, and makes the project, connection and inventory in it. */
export async function prepareDatabase(
  context: RoundContext,
  name: string,
  pulls: number,
): Promise<RoundDatabase> {
  const admin = new pg.Client({ connectionString: context.postgres.url });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(context.postgres.url, name);
  const stateDir = join(context.workDir, 'state', name);
  await mkdir(stateDir, { recursive: true });
  const service = await DrydockService.open({
    store: { kind: 'postgres', url },
    stateDir,
    secretKey: context.secretKey,
    workers: { manual: 0, scheduled: 0 },
    tickMs: 0,
    dailySyncAt: null,
  });
  try {
    const project = await service.projects.ensureDefault();
    const user = context.registry.users[0];
    if (!user) throw new Error('the registry has no user');
    await service.connections.create(project.id, {
      name: 'bench-registry',
      type: 'registry',
      url: context.registry.url,
      credentials: { kind: 'basic', username: user.username, password: user.password },
      maxConcurrentPulls: pulls,
    });
    const sync = await service.sync.sync(project.id, { trigger: 'manual' });
    if (sync.counts.added !== context.images)
      throw new Error(`the sync added ${sync.counts.added} images, not ${context.images}`);
    return { name, url, service, projectId: project.id };
  } catch (error) {
    await service.close();
    throw error;
  }
}

/** Starts serve, then the workers one after another (on two cores, start-ups at once only take longer each). */
export async function startFleet(
  context: RoundContext,
  database: RoundDatabase,
  workers: number,
): Promise<Fleet> {
  const started: DrydockProcess[] = [];
  const stop = async () => {
    for (const handle of started.splice(0).reverse()) await context.group.stop(handle);
  };
  try {
    const common = {
      databaseUrl: database.url,
      secretKey: context.secretKey,
      cacheDir: context.cacheDir,
    } as const;
    const serve = await context.group.start({
      ...common,
      role: 'serve',
      name: `${database.name}-serve`,
      workers: 0,
    });
    started.push(serve);
    const workerHandles: DrydockProcess[] = [];
    for (let worker = 0; worker < workers; worker += 1) {
      const handle = await context.group.start({
        ...common,
        role: 'worker',
        name: `${database.name}-worker-${worker}`,
        workers: 1,
      });
      started.push(handle);
      workerHandles.push(handle);
    }
    return { serve, workers: workerHandles, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Waits until the task is no longer running, failing early when a process of the fleet died. */
async function waitForTask(context: RoundContext, database: RoundDatabase, taskId: string, fleet: Fleet) {
  const deadline = Date.now() + context.taskTimeoutMs;
  let lastReport = Date.now();
  for (;;) {
    const task = await database.service.tasks.get(database.projectId, taskId);
    if (task.status !== 'running') return;
    const dead = [fleet.serve, ...fleet.workers].find((handle) => !context.group.running(handle));
    if (dead) throw new Error(`${dead.name} exited during the task:\n${await context.group.logTail(dead)}`);
    const done = task.counts.succeeded + task.counts.failed + task.counts.terminated;
    if (Date.now() > deadline)
      throw new Error(
        `the task did not end within ${context.taskTimeoutMs / 1000} s (${done} of ${task.counts.total} done)`,
      );
    if (Date.now() - lastReport > 15_000) {
      context.progress(`  ${done} of ${task.counts.total} images done`);
      lastReport = Date.now();
    }
    await delay(200);
  }
}

/** Starts a manual task over `scope`, waits for its end, and reads its rows' timestamps. */
export async function scanTask(
  context: RoundContext,
  database: RoundDatabase,
  fleet: Fleet,
  name: string,
  scope: ScanScope,
  pulls: number,
): Promise<{ readonly jobs: number; readonly times: RoundTimes }> {
  const { service, projectId } = database;
  const estimate = await service.tasks.estimate(projectId, { scope });
  const task = await service.tasks.start(projectId, { name, scope, estimateId: estimate.id }, 'bench');
  await waitForTask(context, database, task.id, fleet);
  const jobs = await taskJobTimes(database.url, task.id);
  return { jobs: jobs.length, times: roundTimes(jobs, fleet.workers.length, pulls, task.createdAt) };
}

/** Runs one round in a fresh database `scale_<index>`: every image scanned once. */
export async function runRound(context: RoundContext, spec: RoundSpec, index: number): Promise<RoundOutcome> {
  const database = await prepareDatabase(context, `scale_${index}`, spec.pulls);
  try {
    const fleet = await startFleet(context, database, spec.workers);
    try {
      const cpuNow = async () => ({
        workers: await Promise.all(fleet.workers.map((handle) => handle.cpuSeconds())),
        serve: await fleet.serve.cpuSeconds(),
        postgres: await postgresCpuSeconds(context.postmaster),
        registry: context.registryPid === undefined ? 0 : await processCpuSeconds(context.registryPid),
        machine: await machineTicks(),
        at: performance.now(),
      });
      const sampler = new LockWaitSampler(database.url, database.projectId);
      await sampler.start();
      const measure = async () => {
        const before = await cpuNow();
        const task = await scanTask(
          context,
          database,
          fleet,
          `scale-out ${spec.label}`,
          { kind: 'all' },
          spec.pulls,
        );
        // Read while the processes run: /proc/PID/stat goes with them.
        return { before, task, after: await cpuNow() };
      };
      const { before, task, after } = await measure().finally(() => sampler.stop());
      const lockWaits = await sampler.stop();
      const { jobs, times } = task;
      const perWorker = after.workers.map((seconds, worker) => seconds - (before.workers[worker] ?? 0));
      const cpu: CpuUse = {
        workers: perWorker.reduce((sum, seconds) => sum + seconds, 0),
        serve: after.serve - before.serve,
        postgres: after.postgres - before.postgres,
        registry: after.registry - before.registry,
        machineCores: busyCores(before.machine, after.machine, cpus().length),
        seconds: (after.at - before.at) / 1000,
        perWorker,
        workerPeakRssMb: Math.max(...(await Promise.all(fleet.workers.map((handle) => handle.peakRssMb())))),
        servePeakRssMb: await fleet.serve.peakRssMb(),
      };
      return { spec, jobs, times, cpu, lockWaits };
    } finally {
      await fleet.stop();
    }
  } finally {
    await database.service.close();
  }
}
