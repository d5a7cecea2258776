import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction, Updateable } from 'kysely';
import type { Job } from 'pg-boss';
import type { DrydockError } from '@drydock/engine';
import {
  RegistryImageSource,
  parsePlatform,
  scanSource,
  toDrydockError,
  type ImageReport,
  type ScanOptions,
  type ScanLimits,
} from '@drydock/engine';
import type { Clock } from '../clock.ts';
import type { Meter } from '../metering/meter.ts';
import type { ScanJobData } from '../queue/job-queue.ts';
import { defaultRateLimitPauseMs, pauseRegistry } from '../ratelimit/registry-pause.ts';
import type { ActivityCounters } from '../activity.ts';
import type { ConnectionService } from '../registries/connection-service.ts';
import {
  registryClientOptions,
  type RegistryClientOptions,
} from '../registries/listing/connection-config.ts';
import { getProjectScanSettings } from '../results/project-scan-settings.ts';
import { indexResults, type IndexableResult } from '../results/finding-index.ts';
import { effectiveRisk, loadHandlingView, writeImagesRisk } from '../results/current-results.ts';
import { isRisky } from '../results/risk-summary.ts';
import { isInsideWindow } from '../schedule/time-window.ts';
import { retryOnLostConnection } from '../store/connection-retry.ts';
import { toJson } from '../store/json.ts';
import { packReport } from '../store/packed-report.ts';
import type {
  Database,
  ImageScanStatus,
  RegistryType,
  RiskType,
  ScanTaskImageTable,
} from '../store/schema.ts';
import type { ScanTaskService } from '../tasks/scan-task-service.ts';
import type { RunningScans } from './running-scans.ts';
import {
  ImageStoppedError,
  ScanSupersededError,
  ServiceStoppingError,
  TaskStoppedError,
} from './running-scans.ts';
import type { ScanEngines } from './scan-engines.ts';
import { transientFailureCodes } from './transient-failures.ts';
import type { DatabaseLease } from './vulnerability-database-slot.ts';
import { enqueueScanFailed } from '../notifications/webhook-events.ts';

export interface WorkerSettings {
  /** Retries pg-boss makes after the first attempt (the queue's retryLimit). */
  readonly retryLimit: number;
  /** How often a running scan checks whether its task was stopped from another process. */
  readonly stopPollMs: number;
  /** Longest scan of one image; it then fails `timed_out`. */
  readonly scanTimeoutMs: number;
  /** Rate-limit pauses an image may meet before it fails `registry_rate_limited`. */
  readonly maxRateLimitDeferrals: number;
  readonly limits?: Partial<ScanLimits>;
  /** The registry client's connect, headers and body-idle limits for pulls; the engine's defaults when absent. */
  readonly registryTimeouts?: RegistryClientOptions['timeouts'];
}

/** The longest delay a Node timer takes (a longer one fires at once). */
const maxTimerMs = 2 ** 31 - 1;

export const defaultWorkerSettings: WorkerSettings = {
  retryLimit: 2,
  stopPollMs: 2000,
  scanTimeoutMs: 30 * 60_000,
  maxRateLimitDeferrals: 20,
};

type Outcome =
  | {
      readonly kind: 'succeeded';
      readonly report: ImageReport;
      readonly scanned: readonly RiskType[];
      readonly projectId: string;
      /** The digest that was pulled: the result belongs to it even if a sync moves the tag meanwhile. */
      readonly digest: string;
      readonly registryType: RegistryType;
      /** Of the vulnerability database the scan matched against; null without one. */
      readonly databaseBuiltAt: string | null;
    }
  | { readonly kind: 'terminated' }
  | { readonly kind: 'superseded' }
  | { readonly kind: 'requeue'; readonly notBefore: Date | null }
  | { readonly kind: 'retry'; readonly error: DrydockError }
  | { readonly kind: 'failed'; readonly code: string; readonly message: string };

/**
 * Which attempt at a row a worker holds: the row's job and its attempt count when the worker
 * claimed it. A worker writes an outcome only while the row still shows both, so a worker that
 * lost its job to a retry elsewhere (missed heartbeats) can never store or bill a second result.
 */
interface Fence {
  readonly jobId: string;
  readonly attempts: number;
}

/**
 * Runs one image scan job: pulls the image's platform through the engine, stores the result,
 * updates the image and bills the scan in one transaction. Stops, rate limits and transient
 * failures each end in their own state; nothing is billed unless a result was stored. Jobs run at
 * least once (pg-boss retries a job whose worker died); the fence makes their effects happen once.
 */
export class ScanWorker {
  private readonly db: Kysely<Database>;
  private readonly engines: ScanEngines;
  private readonly connections: ConnectionService;
  private readonly tasks: ScanTaskService;
  private readonly meter: Meter;
  private readonly running: RunningScans;
  private readonly clock: Clock;
  private readonly activity: ActivityCounters;
  private readonly settings: WorkerSettings;

  constructor(
    db: Kysely<Database>,
    engines: ScanEngines,
    connections: ConnectionService,
    tasks: ScanTaskService,
    meter: Meter,
    running: RunningScans,
    clock: Clock,
    activity: ActivityCounters,
    settings: WorkerSettings = defaultWorkerSettings,
  ) {
    this.db = db;
    this.engines = engines;
    this.connections = connections;
    this.tasks = tasks;
    this.meter = meter;
    this.running = running;
    this.clock = clock;
    this.activity = activity;
    this.settings = settings;
  }

  async handle(job: Job<ScanJobData>): Promise<void> {
    const { taskId, imageId, platform } = job.data;
    const row = await this.db
      .selectFrom('scanTaskImage')
      .innerJoin('scanTask', 'scanTask.id', 'scanTaskImage.taskId')
      .innerJoin('repositoryImage', 'repositoryImage.id', 'scanTaskImage.imageId')
      .innerJoin('registryConnection', 'registryConnection.id', 'scanTaskImage.connectionId')
      .select([
        'registryConnection.type as registryType',
        'scanTaskImage.status',
        'scanTaskImage.jobId',
        'scanTaskImage.attempts',
        'scanTaskImage.connectionId',
        'scanTask.status as taskStatus',
        'scanTask.projectId',
        'scanTask.riskTypes',
        'scanTask.window',
        'repositoryImage.pullRegistry',
        'repositoryImage.pullRepository',
        'repositoryImage.digest',
        'repositoryImage.tag',
      ])
      .where('scanTaskImage.taskId', '=', taskId)
      .where('scanTaskImage.imageId', '=', imageId)
      .where('scanTaskImage.platform', '=', platform)
      .executeTakeFirst();
    // A job for a row that is final already (a duplicate, or a stop that raced it) has nothing to do.
    // So is a job that is no longer the row's own (the row was dispatched again after a crash).
    if (!row || !['dispatched', 'scanning'].includes(row.status) || row.jobId !== job.id) return;
    const seen: Fence = { jobId: job.id, attempts: row.attempts };
    if (row.taskStatus !== 'running') {
      await this.#finish(job.data, { kind: 'terminated' }, seen);
      return;
    }
    if (row.window && !isInsideWindow(row.window, this.clock.now())) {
      await this.#finish(job.data, { kind: 'requeue', notBefore: null }, seen);
      return;
    }
    const fence: Fence = { jobId: job.id, attempts: row.attempts + 1 };
    let tries = 0;
    const claimed = await retryOnLostConnection(() =>
      this.#claim(job, row.attempts, fence, (tries += 1) > 1),
    );
    if (!claimed) return;

    const controller = new AbortController();
    const release = this.running.add(taskId, controller, imageId);
    const poll = setInterval(() => {
      void this.db
        .selectFrom('scanTaskImage')
        .innerJoin('scanTask', 'scanTask.id', 'scanTaskImage.taskId')
        .select([
          'scanTask.status as taskStatus',
          'scanTaskImage.status',
          'scanTaskImage.finishedAt',
          'scanTaskImage.attempts',
        ])
        .where('scanTaskImage.taskId', '=', taskId)
        .where('scanTaskImage.imageId', '=', imageId)
        .where('scanTaskImage.platform', '=', platform)
        .executeTakeFirst()
        .then((current) => {
          if (current && current.attempts !== fence.attempts) controller.abort(new ScanSupersededError());
          else if (current?.taskStatus !== 'running') controller.abort(new TaskStoppedError());
          // This image's scans were stopped (ScanTaskService.stopImage, perhaps in another process).
          // Only a stop ends a row while its scan runs; the end time also catches a stop that came
          // between this job's first read and its `scanning` write, which wrote over `terminated`.
          else if (current.status === 'terminated' || current.finishedAt !== null)
            controller.abort(new ImageStoppedError());
        })
        .catch(() => undefined);
    }, this.settings.stopPollMs);
    poll.unref();
    // A timer cleared when the scan ends: AbortSignal.timeout's timer (and the signals joined to it)
    // stayed alive for the whole limit after every scan, 30 minutes by default.
    const deadline = setTimeout(
      () => controller.abort(new DOMException('the scan took longer than its time limit', 'TimeoutError')),
      Math.min(this.settings.scanTimeoutMs, maxTimerMs),
    );
    deadline.unref();
    let outcome: Outcome;
    try {
      outcome = await this.#scan(row, job, controller.signal);
    } finally {
      clearTimeout(deadline);
      clearInterval(poll);
      release();
    }
    if (outcome.kind === 'retry') {
      // Back to waiting for pg-boss's next attempt; throwing hands the job to its retry with backoff.
      await retryOnLostConnection(() => this.#setRow(this.db, job.data, { status: 'dispatched' }, fence));
      throw outcome.error;
    }
    // The transaction is fenced: run again after a lost connection, it writes once.
    await retryOnLostConnection(() => this.#finish(job.data, outcome, fence));
  }

  /**
   * Marks the row `scanning` for this attempt; false when another delivery of the job got there
   * first. After a lost connection (`again`), the row may already show this attempt: the first try
   * committed and only its answer was lost.
   */
  async #claim(job: Job<ScanJobData>, seenAttempts: number, fence: Fence, again: boolean): Promise<boolean> {
    const { taskId, imageId, platform } = job.data;
    return this.db.transaction().execute(async (trx) => {
      // Compare-and-set on the attempt count: of two deliveries of one job, one claims the row.
      const updated = await trx
        .updateTable('scanTaskImage')
        .set({ status: 'scanning', startedAt: this.clock.now(), attempts: fence.attempts })
        .where('taskId', '=', taskId)
        .where('imageId', '=', imageId)
        .where('platform', '=', platform)
        .where('jobId', '=', job.id)
        .where('attempts', '=', seenAttempts)
        .where('status', 'in', ['dispatched', 'scanning'])
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) {
        if (!again) return false;
        const current = await trx
          .selectFrom('scanTaskImage')
          .select(['status', 'attempts', 'jobId'])
          .where('taskId', '=', taskId)
          .where('imageId', '=', imageId)
          .where('platform', '=', platform)
          .executeTakeFirst();
        return (
          current?.status === 'scanning' && current.attempts === fence.attempts && current.jobId === job.id
        );
      }
      await trx
        .updateTable('repositoryImage')
        .set({ scanStatus: 'scanning' })
        .where('id', '=', imageId)
        .execute();
      return true;
    });
  }

  async #scan(
    row: {
      readonly projectId: string;
      readonly connectionId: string;
      readonly riskTypes: readonly RiskType[];
      readonly pullRegistry: string;
      readonly pullRepository: string;
      readonly digest: string;
      readonly tag: string;
      readonly attempts: number;
      readonly registryType: RegistryType;
    },
    job: Job<ScanJobData>,
    signal: AbortSignal,
  ): Promise<Outcome> {
    const { platform } = job.data;
    let source: RegistryImageSource | undefined;
    let lease: DatabaseLease | undefined;
    try {
      const config = await this.connections.openConfig(row.connectionId);
      if (config.credentialExpiresAt && config.credentialExpiresAt <= this.clock.now()) {
        return {
          kind: 'failed',
          code: 'credential_expired',
          message: 'the registry credentials expired; renew them on the connection',
        };
      }
      this.activity.countPull(row.registryType);
      source = new RegistryImageSource(`${row.pullRegistry}/${row.pullRepository}@${row.digest}`, {
        // The service pauses a registry that answers 429 for every task instead of waiting here.
        ...registryClientOptions(config, {
          retries: { maxRateLimitWaitMs: 0 },
          ...(this.settings.registryTimeouts ? { timeouts: this.settings.registryTimeouts } : {}),
        }),
        ...(this.settings.limits ? { limits: this.settings.limits } : {}),
      });
      const wants = new Set(row.riskTypes);
      const project = await getProjectScanSettings(this.db, row.projectId);
      const now = this.clock.now();
      const engines = this.engines;
      lease = wants.has('vulnerability') ? engines.databases.lease() : undefined;
      const options: ScanOptions = {
        signal,
        ...(platform ? { platform: parsePlatform(platform) } : {}),
        ...(this.settings.limits ? { limits: this.settings.limits } : {}),
        ...(lease ? { vulnerabilityDatabase: lease.database } : {}),
        ...(wants.has('secret') ? { secrets: { scanner: engines.secrets } } : {}),
        ...(wants.has('malware') ? { malware: engines.malware } : {}),
        ...(wants.has('baseline')
          ? {
              baseline: {
                reference: { tag: row.tag, digest: row.digest },
                weakPasswords: project.weakPasswords.length > 0 ? { extraWords: project.weakPasswords } : {},
                now,
              },
            }
          : {}),
        ...(wants.has('compliance')
          ? { compliance: { ...(project.compliancePolicy ? { policy: project.compliancePolicy } : {}), now } }
          : {}),
        ...(engines.baseImages ? { baseImages: engines.baseImages } : {}),
        ...(engines.layerCache ? { layerCache: engines.layerCache } : {}),
      };
      const report = await scanSource(source, options);
      const image = report.images[0];
      if (!image)
        return { kind: 'failed', code: 'internal_error', message: 'the scan produced no image report' };
      const scanned = row.riskTypes.filter((type) => type !== 'vulnerability' || lease !== undefined);
      return {
        kind: 'succeeded',
        report: image,
        scanned,
        projectId: row.projectId,
        digest: row.digest,
        registryType: row.registryType,
        databaseBuiltAt: lease?.database.status().builtAt ?? null,
      };
    } catch (error) {
      const reason: unknown = signal.reason;
      if (reason instanceof ScanSupersededError) return { kind: 'superseded' };
      if (reason instanceof TaskStoppedError) return { kind: 'terminated' };
      if (reason instanceof ServiceStoppingError) return { kind: 'requeue', notBefore: null };
      const failure = toDrydockError(error, signal);
      if (failure.code === 'registry_rate_limited') this.activity.countRateLimited();
      if (failure.code === 'registry_rate_limited' && row.attempts < this.settings.maxRateLimitDeferrals) {
        const retryAfterMs =
          typeof failure.details['retryAfterMs'] === 'number'
            ? failure.details['retryAfterMs']
            : defaultRateLimitPauseMs;
        const until = new Date(this.clock.now().getTime() + retryAfterMs);
        await pauseRegistry(this.db, row.connectionId, until, failure.message);
        return { kind: 'requeue', notBefore: until };
      }
      if (transientFailureCodes.has(failure.code) && job.retryCount < this.settings.retryLimit)
        return { kind: 'retry', error: failure };
      return { kind: 'failed', code: failure.code, message: failure.message };
    } finally {
      lease?.release();
      await source?.close();
    }
  }

  async #finish(data: ScanJobData, outcome: Outcome, fence: Fence): Promise<void> {
    if (outcome.kind === 'superseded') return;
    const now = this.clock.now();
    let indexed: { readonly projectId: string; readonly result: IndexableResult } | undefined;
    await this.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('scanTaskImage')
        .select(['status', 'jobId', 'attempts'])
        .where('taskId', '=', data.taskId)
        .where('imageId', '=', data.imageId)
        .where('platform', '=', data.platform)
        .forUpdate()
        .executeTakeFirst();
      // Ended meanwhile (a stop), or taken over by another delivery of the job: not ours to write.
      if (
        current?.jobId !== fence.jobId ||
        current.attempts !== fence.attempts ||
        !['dispatched', 'scanning'].includes(current.status)
      )
        return;
      switch (outcome.kind) {
        case 'succeeded': {
          const { projectId } = outcome;
          const resultId = randomUUID();
          // Counted as the image list shows them: handled vulnerabilities and ignored secrets left out.
          const handling = await loadHandlingView(trx, projectId, now);
          const { riskCounts: counts, riskLevel: level } = effectiveRisk(
            outcome.report,
            data.imageId,
            handling.vulnerabilities.forImage({ id: data.imageId, registryType: outcome.registryType }),
            handling.secrets,
          );
          await trx
            .insertInto('scanResult')
            .values({
              id: resultId,
              projectId,
              imageId: data.imageId,
              taskId: data.taskId,
              digest: outcome.digest,
              platform: data.platform,
              report: packReport(outcome.report),
              riskTypes: toJson(outcome.scanned),
              riskCounts: toJson(counts),
              riskLevel: level,
              matchedAt: now,
              databaseBuiltAt: outcome.databaseBuiltAt,
              createdAt: now,
            })
            .execute();
          await this.#setRow(trx, data, {
            status: 'succeeded',
            finishedAt: now,
            resultId,
            risky: isRisky(counts),
            failureCode: null,
            failureMessage: null,
          });
          await this.meter.bill(trx, {
            key: `${data.taskId}:${data.imageId}:${data.platform}`,
            projectId,
            source: 'repository',
            taskId: data.taskId,
            imageId: data.imageId,
            platform: data.platform,
            at: now,
          });
          indexed = {
            projectId,
            result: { id: resultId, imageId: data.imageId, platform: data.platform, report: outcome.report },
          };
          break;
        }
        case 'terminated':
          await this.#setRow(trx, data, { status: 'terminated', finishedAt: now });
          break;
        case 'requeue':
          await this.#setRow(trx, data, {
            status: 'queued',
            jobId: null,
            dispatchedAt: null,
            notBefore: outcome.notBefore,
          });
          break;
        case 'failed':
          await this.#setRow(trx, data, {
            status: 'failed',
            finishedAt: now,
            failureCode: outcome.code,
            failureMessage: outcome.message,
          });
          await enqueueScanFailed(trx, { ...data, code: outcome.code, message: outcome.message }, now);
          break;
        case 'retry':
          break;
      }
      await this.#settleImage(trx, data, now);
      // Last: it takes the project's finding-index lock (results/finding-index.ts).
      if (indexed) await indexResults(trx, indexed.projectId, [indexed.result]);
    });
    await this.tasks.finishIfDone(data.taskId);
  }

  /** With a fence, only while the row is still this attempt's. */
  async #setRow(
    db: Kysely<Database>,
    data: ScanJobData,
    values: Updateable<ScanTaskImageTable>,
    fence?: Fence,
  ): Promise<void> {
    let update = db
      .updateTable('scanTaskImage')
      .set(values)
      .where('taskId', '=', data.taskId)
      .where('imageId', '=', data.imageId)
      .where('platform', '=', data.platform);
    if (fence) update = update.where('jobId', '=', fence.jobId).where('attempts', '=', fence.attempts);
    await update.execute();
  }

  /**
   * The image's own status follows its platforms in this task: scanning while any runs, then
   * failed if one failed, succeeded if one succeeded, else terminated (or queued again). Its risk
   * counts and level add up the current result of each platform.
   */
  async #settleImage(trx: Transaction<Database>, data: ScanJobData, now: Date): Promise<void> {
    const rows = await trx
      .selectFrom('scanTaskImage')
      .select(['status', 'failureCode', 'failureMessage'])
      .where('taskId', '=', data.taskId)
      .where('imageId', '=', data.imageId)
      .execute();
    const has = (status: string) => rows.some((entry) => entry.status === status);
    const failed = rows.find((entry) => entry.status === 'failed');
    const status: ImageScanStatus = has('scanning')
      ? 'scanning'
      : has('queued') || has('dispatched')
        ? 'queued'
        : failed
          ? 'failed'
          : has('succeeded')
            ? 'succeeded'
            : 'terminated';
    await trx
      .updateTable('repositoryImage')
      .set({
        scanStatus: status,
        failureCode: failed?.failureCode ?? null,
        failureMessage: failed?.failureMessage ?? null,
        ...(status === 'succeeded' || status === 'failed' ? { lastScanAt: now } : {}),
      })
      .where('id', '=', data.imageId)
      .execute();
    await writeImagesRisk(trx, [data.imageId]);
  }
}
