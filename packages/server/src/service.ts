import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { ActivityCounters } from './activity.ts';
import { systemClock, type Clock } from './clock.ts';
import { openVulnerabilityDatabase } from '@drydock/engine';
import { listImages, type ImageListPage } from './inventory/image-list.ts';
import { rematchStoredResults, type RematchSummary } from './results/rematch.ts';
import { ResultService } from './results/result-service.ts';
import { SyncService } from './inventory/sync-service.ts';
import { Meter } from './metering/meter.ts';
import { defaultPriceList, type PriceList } from './metering/pricing.ts';
import { ProjectService } from './projects/project-service.ts';
import { defaultQueueSettings, JobQueue, type QueueSettings } from './queue/job-queue.ts';
import { ConnectionService } from './registries/connection-service.ts';
import { CredentialVault } from './registries/credential-vault.ts';
import { listerFactory, type ListerFactory } from './registries/lister-factory.ts';
import { DailySync } from './schedule/daily-sync.ts';
import { PolicyService } from './schedule/policy-service.ts';
import { indexMissingResults } from './results/finding-index.ts';
import { RiskTrendRecorder } from './results/risk-trend.ts';
import { openStore, type Store, type StoreLocation } from './store/store.ts';
import { Dispatcher } from './tasks/dispatcher.ts';
import type { ImageFilter } from './tasks/scan-scope.ts';
import { recoverInterruptedScans } from './tasks/recovery.ts';
import { defaultTaskDeadlineMs, ScanTaskService } from './tasks/scan-task-service.ts';
import { RunningScans } from './worker/running-scans.ts';
import { ScanEngines, type ScanEngineSettings } from './worker/scan-engines.ts';
import { defaultWorkerSettings, ScanWorker, type WorkerSettings } from './worker/scan-job.ts';
import { DatabaseFileWatch } from './worker/database-file-watch.ts';
import { DatabaseFollower, type DatabaseServer } from './worker/database-follower.ts';
import { VulnerabilityDatabaseSlot } from './worker/vulnerability-database-slot.ts';
import { openStartupDatabase } from './worker/startup-vulnerability-database.ts';
import { HarborScans } from './harbor/harbor-scans.ts';
import { claimServiceState } from './store/service-state-claim.ts';
import { WebhookService } from './notifications/webhook-service.ts';
import { RegistryEvents } from './notifications/registry-events.ts';
import {
  defaultWebhookSettings,
  WebhookSender,
  type WebhookSettings,
} from './notifications/webhook-sender.ts';

/** How often a round looks for exports whose process died. */
const exportSweepMs = 60_000;
/** How often a round looks for a new vulnerability database file (`drydock db update`). */
const databaseWatchMs = 10_000;

export interface ServiceOptions {
  readonly store: StoreLocation;
  /** Where the service keeps its own files (the credential key file). */
  readonly stateDir: string;
  /** Base64 of 32 bytes; else the key file in `stateDir` (created on first start with mode 0600). */
  readonly secretKey?: string;
  readonly clock?: Clock;
  /** In-process scan workers per queue; 0 runs none (a `drydock worker` elsewhere does the scans). */
  readonly workers?: { readonly manual: number; readonly scheduled: number };
  readonly engines?: ScanEngineSettings;
  readonly prices?: PriceList;
  readonly queue?: QueueSettings;
  readonly worker?: Partial<WorkerSettings>;
  readonly listers?: ListerFactory;
  /** How often the dispatcher and scheduler run; 0 = only when `tick()` is called (tests). */
  readonly tickMs?: number;
  /** The daily inventory sync's local time in each project's time zone (default 01:00); null = none. */
  readonly dailySyncAt?: string | null;
  /** How long a scan task may run before it ends `timed_out` (default 7 days); 0 = no deadline. */
  readonly taskDeadlineMs?: number;
  /**
   * A `drydock worker` elsewhere: the service whose vulnerability database this process downloads
   * into `dir` and follows (checked every `checkEveryMs`, default a minute), instead of the file
   * at `engines.vulnerabilityDatabasePath`. Scans start once the first download has succeeded.
   */
  readonly databaseServer?: DatabaseServer & { readonly dir: string; readonly checkEveryMs?: number };
  /**
   * After each scan its worker dispatches at once (default: when `tickMs` > 0), so the next image
   * starts without waiting for the dispatcher's round.
   */
  readonly dispatchAfterScan?: boolean;
  /** Webhook delivery attempts, backoff and timeout (notifications/webhook-sender.ts). */
  readonly webhooks?: Partial<WebhookSettings>;
}

/**
 * The scanning service as a library: projects, registry connections, the image inventory, scan
 * tasks, the scheduled policy, results and metering over one database, with the job queue and
 * (optionally) in-process workers. The HTTP API and the command line are thin fronts on it.
 */
export class DrydockService {
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #closed = false;
  #lastExportSweep = Number.NEGATIVE_INFINITY;
  #lastDatabaseWatch = Number.NEGATIVE_INFINITY;
  #databaseWatch: DatabaseFileWatch | undefined;
  #follower: DatabaseFollower | undefined;
  readonly #riskTrend = new RiskTrendRecorder();
  #registryEvents: RegistryEvents | undefined;
  /** A re-match after a database update, running apart from the rounds; close waits for it. */
  #rematching: Promise<void> | undefined;

  readonly store: Store;
  readonly clock: Clock;
  readonly queue: JobQueue;
  readonly projects: ProjectService;
  readonly connections: ConnectionService;
  readonly sync: SyncService;
  readonly tasks: ScanTaskService;
  readonly policies: PolicyService;
  readonly meter: Meter;
  readonly results: ResultService;
  readonly dispatcher: Dispatcher;
  readonly dailySync: DailySync | undefined;
  readonly running: RunningScans;
  readonly engines: ScanEngines | undefined;
  /** What this process did, for the metrics. */
  readonly activity: ActivityCounters;
  /** The vulnerability database scans use, status shows and workers elsewhere download. */
  readonly vulnerabilityDatabase: VulnerabilityDatabaseSlot;
  /** Project webhooks and their delivery log (notifications/). */
  readonly webhooks: WebhookService;
  /** Scans Harbor requests through the pluggable scanner adapter (harbor/). */
  readonly harbor: HarborScans;

  private constructor(
    store: Store,
    clock: Clock,
    queue: JobQueue,
    projects: ProjectService,
    connections: ConnectionService,
    sync: SyncService,
    tasks: ScanTaskService,
    policies: PolicyService,
    meter: Meter,
    results: ResultService,
    dispatcher: Dispatcher,
    dailySync: DailySync | undefined,
    running: RunningScans,
    engines: ScanEngines | undefined,
    activity: ActivityCounters,
    vulnerabilityDatabase: VulnerabilityDatabaseSlot,
    webhooks: WebhookService,
    harbor: HarborScans,
  ) {
    this.store = store;
    this.clock = clock;
    this.queue = queue;
    this.projects = projects;
    this.connections = connections;
    this.sync = sync;
    this.tasks = tasks;
    this.policies = policies;
    this.meter = meter;
    this.results = results;
    this.dispatcher = dispatcher;
    this.dailySync = dailySync;
    this.running = running;
    this.engines = engines;
    this.activity = activity;
    this.vulnerabilityDatabase = vulnerabilityDatabase;
    this.webhooks = webhooks;
    this.harbor = harbor;
  }

  /**
   * Whether this process can do its work (the readiness probes): the database answers within
   * `timeoutMs`, and a worker has the service's vulnerability database.
   */
  async readiness(
    timeoutMs = 2000,
  ): Promise<{ readonly ready: true } | { readonly ready: false; readonly reason: string }> {
    if (this.#follower && !this.#follower.followed)
      return { ready: false, reason: 'the vulnerability database has not arrived from the service yet' };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    try {
      const answered = await Promise.race([sql`select 1`.execute(this.store.db).then(() => true), late]);
      return answered ? { ready: true } : { ready: false, reason: 'the database does not answer' };
    } catch {
      return { ready: false, reason: 'the database does not answer' };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Registry push notifications: syncs, and scans when the project asks (notifications/registry-events.ts). */
  get registryEvents(): RegistryEvents {
    this.#registryEvents ??= new RegistryEvents(this.store.db, this.sync, this.tasks);
    return this.#registryEvents;
  }

  get db() {
    return this.store.db;
  }

  /** The repository image list of a project. */
  images(projectId: string, filter: ImageFilter = {}, page: ImageListPage = {}) {
    return listImages(this.store.db, projectId, filter, page);
  }

  static async open(options: ServiceOptions): Promise<DrydockService> {
    const clock = options.clock ?? systemClock;
    const store = await openStore(options.store);
    const cleanups: (() => Promise<void>)[] = [() => store.close()];
    try {
      const vault = await CredentialVault.open({
        ...(options.secretKey ? { key: options.secretKey } : {}),
        keyFile: join(options.stateDir, 'credential.key'),
      });
      const queueSettings = options.queue ?? defaultQueueSettings;
      const queue = await JobQueue.start(store, queueSettings);
      cleanups.unshift(() => queue.stop());
      const listers = options.listers ?? listerFactory();
      const meter = new Meter(options.prices ?? defaultPriceList);
      const running = new RunningScans();
      const projects = new ProjectService(store.db, clock);
      const connections = new ConnectionService(store.db, vault, listers, clock);
      const sync = new SyncService(store.db, connections, listers, clock);
      const tasks = new ScanTaskService(
        store.db,
        meter,
        queue,
        running,
        clock,
        options.taskDeadlineMs ?? defaultTaskDeadlineMs,
      );
      const policies = new PolicyService(store.db, tasks, clock);
      const webhooks = new WebhookService(store.db, vault, queue, clock);
      const webhookSettings = { ...defaultWebhookSettings, ...options.webhooks };
      const webhookSender = new WebhookSender(store.db, vault, queue, clock, webhookSettings);
      const activity = new ActivityCounters();
      const dispatcher = new Dispatcher(store.db, queue, clock, activity);
      const dailySyncAt = options.dailySyncAt === undefined ? '01:00' : options.dailySyncAt;
      const dailySync = dailySyncAt === null ? undefined : new DailySync(store.db, sync, clock, dailySyncAt);
      const databasePath = options.engines?.vulnerabilityDatabasePath;
      const databases = new VulnerabilityDatabaseSlot(
        !options.databaseServer && databasePath ? await openStartupDatabase(databasePath) : undefined,
      );
      cleanups.unshift(async () => databases.close());
      const harbor = new HarborScans(store.db, vault, queue, meter, databases, clock, {
        retryLimit: queueSettings.retryLimit,
        scanTimeoutMs: options.worker?.scanTimeoutMs ?? defaultWorkerSettings.scanTimeoutMs,
      });
      const follower = options.databaseServer
        ? new DatabaseFollower(options.databaseServer, options.databaseServer.dir, databases)
        : undefined;
      cleanups.unshift(async () => follower?.stop());
      await projects.ensureDefault();
      await indexMissingResults(store.db);
      // With the embedded database this process is the only one: scans marked running were cut
      // off by a crash and go back to the queue now rather than after the heartbeat timeout.
      if (store.kind === 'pglite') await recoverInterruptedScans(store.db, queue);
      const workers = options.workers ?? {
        manual: Math.max(1, Math.floor(availableParallelism() / 2)),
        scheduled: 1,
      };
      // Deliveries go out from the processes that run background work (serve, workers), not from a
      // short command such as `drydock tasks` that would leave its attempts to the heartbeat timeout.
      const background = workers.manual + workers.scheduled > 0 || (options.tickMs ?? 1000) > 0;
      if (background && webhookSettings.concurrency > 0)
        await queue.workWebhooks((job) => webhookSender.handle(job), webhookSettings.concurrency);
      let engines: ScanEngines | undefined;
      if (workers.manual + workers.scheduled > 0) {
        engines = await ScanEngines.open(options.engines ?? {}, databases, { db: store.db, clock, vault });
        const opened = engines;
        cleanups.unshift(() => opened.close());
        const worker = new ScanWorker(
          store.db,
          engines,
          connections,
          tasks,
          meter,
          running,
          clock,
          activity,
          {
            ...defaultWorkerSettings,
            retryLimit: queueSettings.retryLimit,
            ...options.worker,
          },
        );
        // A scan before the service's database has arrived would record vulnerabilities as not scanned.
        await follower?.start({
          checkEveryMs: options.databaseServer?.checkEveryMs ?? 60_000,
          onError: (error) =>
            process.emitWarning(
              `vulnerability database: ${error instanceof Error ? error.message : String(error)}`,
            ),
        });
        const dispatchAfterScan = options.dispatchAfterScan ?? (options.tickMs ?? 1000) > 0;
        await queue.work(async (job) => {
          try {
            await worker.handle(job);
          } finally {
            // A freed pull slot is filled now; a dispatcher busy elsewhere leaves it to the next round.
            if (dispatchAfterScan) void dispatcher.dispatch().catch(() => undefined);
          }
        }, workers);
        await queue.workHarborScans((job) => harbor.handle(job), Math.max(1, workers.manual));
      }
      const service = new DrydockService(
        store,
        clock,
        queue,
        projects,
        connections,
        sync,
        tasks,
        policies,
        meter,
        new ResultService(store.db, clock),
        dispatcher,
        dailySync,
        running,
        engines,
        activity,
        databases,
        webhooks,
        harbor,
      );
      service.#follower = follower;
      if (!options.databaseServer && databasePath)
        service.#databaseWatch = await DatabaseFileWatch.of(databasePath);
      // Exports cut off by a crash: alone on the embedded database, this process takes them all now.
      if (store.kind === 'pglite') await service.results.resumeExports(0);
      const tickMs = options.tickMs ?? 1000;
      if (tickMs > 0) service.#timer = setInterval(() => void service.tick().catch(() => undefined), tickMs);
      return service;
    } catch (error) {
      for (const cleanup of cleanups) await cleanup().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Re-checks every stored result against the vulnerability database at `path` (after an update)
   * without pulling any image, records what changed, and makes this process's scans use it.
   */
  async rematch(path: string): Promise<RematchSummary> {
    const database = openVulnerabilityDatabase(path);
    try {
      const summary = await rematchStoredResults(this.store.db, database, { now: this.clock.now() });
      this.vulnerabilityDatabase.replace(database);
      return summary;
    } catch (error) {
      database.close();
      throw error;
    }
  }

  /**
   * One round of the background work: task deadlines, orphaned exports, scheduled runs, the daily
   * sync, dispatching queued scans, the findings trend.
   */
  async tick(): Promise<{ readonly dispatched: number; readonly startedRuns: readonly string[] }> {
    // Rounds never overlap in one process; other processes are kept out by database locks.
    while (this.#ticking) await this.#ticking;
    let result = { dispatched: 0, startedRuns: [] as readonly string[] };
    const round = (async () => {
      await this.tasks.timeOutOverdue();
      // Orphaned exports wait for a 30-minute lease to run out: a sweep a minute is plenty.
      const now = this.clock.now().getTime();
      if (now - this.#lastExportSweep >= exportSweepMs) {
        this.#lastExportSweep = now;
        await this.results.resumeExports();
      }
      if (now - this.#lastDatabaseWatch >= databaseWatchMs) {
        this.#lastDatabaseWatch = now;
        await this.#loadNewDatabase();
      }
      const startedRuns = await this.policies.startDueRuns();
      await this.dailySync?.runDue();
      await this.webhooks.dispatchQueued();
      const dispatched = await this.dispatcher.dispatch();
      result = { dispatched, startedRuns };
      // Last, so it never delays scans: the projects' daily findings counts (new day, then hourly).
      await this.#riskTrend.runDue(this.store.db, this.clock.now());
    })();
    this.#ticking = round.then(
      () => undefined,
      () => undefined,
    );
    try {
      await round;
    } finally {
      this.#ticking = undefined;
    }
    return result;
  }

  /**
   * A new vulnerability database file (`drydock db update` beside a running service): scans and
   * worker downloads move to it at once, and one process (whichever claims the build first)
   * matches the stored results against it in the background, so a long re-match never holds up
   * the round's dispatching.
   */
  async #loadNewDatabase(): Promise<void> {
    if (!this.#databaseWatch || !(await this.#databaseWatch.changed())) return;
    this.vulnerabilityDatabase.replace(openVulnerabilityDatabase(this.#databaseWatch.path));
    const lease = this.vulnerabilityDatabase.lease();
    if (!lease) return;
    const builtAt = lease.database.status().builtAt;
    const rematch = async () => {
      try {
        if (await claimServiceState(this.store.db, 'rematched_database', builtAt, this.clock.now()))
          await rematchStoredResults(this.store.db, lease.database, { now: this.clock.now() });
      } catch (error) {
        process.emitWarning(
          `re-match after a database update: ${error instanceof Error ? error.message : String(error)}`,
        );
      } finally {
        lease.release();
      }
    };
    // One after the other: two quick updates do not re-match the same results at once.
    this.#rematching = (this.#rematching ?? Promise.resolve()).then(rematch);
  }

  /** Stops ticking and the workers; running scans go back to the queue for the next start. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#ticking;
    this.running.abortAll();
    await this.results.settle();
    await this.#rematching;
    await this.#registryEvents?.settle();
    await this.sync.settle();
    await this.queue.stop();
    this.#follower?.stop();
    await this.engines?.close();
    this.vulnerabilityDatabase.close();
    await this.store.close();
  }
}
