import { PgBoss, fromKysely, type Job } from 'pg-boss';
import type { Transaction } from 'kysely';
import type { Database, ScanTaskType } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import {
  webhookQueueName,
  webhookQueueOptions,
  type WebhookJobData,
} from '../notifications/webhook-queue.ts';

/** One image scan: a platform of an image within a task. */
export interface ScanJobData {
  readonly taskId: string;
  readonly imageId: string;
  readonly platform: string;
}

/**
 * Manual and scheduled scans go to separate queues with their own workers, so a long scheduled
 * scan never holds up a manual scan of a few images.
 */
export const scanQueues: Readonly<Record<ScanTaskType, string>> = {
  manual: 'scan-manual',
  scheduled: 'scan-scheduled',
};

/** Scans Harbor requested through the pluggable scanner adapter (harbor/harbor-scans.ts). */
export const harborScanQueue = 'scan-adapter';

export interface HarborScanJobData {
  readonly scanId: string;
}

export interface QueueSettings {
  /** Attempts after the first for transient failures (network, 5xx). */
  readonly retryLimit: number;
  readonly retryDelaySeconds: number;
  /** A job whose worker stopped sending heartbeats this long is retried (pg-boss minimum 10). */
  readonly heartbeatSeconds: number;
  /** A scan running longer than this is ended as `timed_out`. */
  readonly expireInSeconds: number;
  /** How often pg-boss looks for jobs whose heartbeat or time ran out (its default when absent). */
  readonly superviseIntervalSeconds?: number;
}

export const defaultQueueSettings: QueueSettings = {
  retryLimit: 2,
  retryDelaySeconds: 5,
  heartbeatSeconds: 30,
  expireInSeconds: 3600,
};

export type ScanJobHandler = (job: Job<ScanJobData>) => Promise<void>;

/** pg-boss on the service's own database. */
export class JobQueue {
  private readonly boss: PgBoss;
  readonly settings: QueueSettings;

  private constructor(boss: PgBoss, settings: QueueSettings) {
    this.boss = boss;
    this.settings = settings;
  }

  static async start(store: Store, settings: QueueSettings = defaultQueueSettings): Promise<JobQueue> {
    const boss = new PgBoss({
      ...store.queueOptions,
      schema: 'pgboss',
      // A dispatched job wakes an idle worker at once (NOTIFY) instead of at its next poll.
      useListenNotify: true,
      // Heartbeat and expiry checks run in pg-boss's monitor pass, as often as both intervals allow.
      ...(settings.superviseIntervalSeconds
        ? {
            superviseIntervalSeconds: settings.superviseIntervalSeconds,
            monitorIntervalSeconds: settings.superviseIntervalSeconds,
          }
        : {}),
    });
    boss.on('error', (error: unknown) => {
      // pg-boss reports maintenance and polling errors here; they are retried by pg-boss itself.
      process.emitWarning(`job queue: ${error instanceof Error ? error.message : String(error)}`);
    });
    await boss.start();
    for (const name of [...Object.values(scanQueues), harborScanQueue]) {
      const queueOptions = {
        retryLimit: settings.retryLimit,
        retryDelay: settings.retryDelaySeconds,
        retryBackoff: true,
        heartbeatSeconds: settings.heartbeatSeconds,
        expireInSeconds: settings.expireInSeconds,
        notify: true,
      };
      await boss.createQueue(name, queueOptions);
      // A queue created by an older version keeps its first options otherwise.
      const { heartbeatSeconds: _fixedAtCreation, ...updatable } = queueOptions;
      await boss.updateQueue(name, updatable);
    }
    await boss.createQueue(webhookQueueName, webhookQueueOptions);
    return new JobQueue(boss, settings);
  }

  /**
   * Sends a job inside the caller's transaction, so the change that asks for it and the job commit
   * together (or neither does); `delaySeconds` holds it back that long.
   */
  async #send(
    trx: Transaction<Database>,
    queue: string,
    data: object,
    what: string,
    delaySeconds = 0,
  ): Promise<string> {
    const options = { db: fromKysely(trx), ...(delaySeconds > 0 ? { startAfter: delaySeconds } : {}) };
    const id = await this.boss.send(queue, { ...data }, options);
    if (!id) throw new Error(`the job queue refused a ${what} job`);
    return id;
  }

  /**
   * Starts `concurrency` in-process workers on `queue`, one job at a time each. NOTIFY wakes an idle
   * worker at once; a busy one ignores it and fetches again only at its next poll, so the poll
   * stays short (a 2 s poll left freed scan slots idle ~2 s in bench:scale).
   */
  async #work<T extends object>(
    queue: string,
    concurrency: number,
    handler: (job: Job<T>) => Promise<void>,
  ): Promise<void> {
    if (concurrency <= 0) return;
    await this.boss.work<T>(
      queue,
      {
        batchSize: 1,
        localConcurrency: concurrency,
        pollingIntervalSeconds: 0.5,
        notifyPollingIntervalSeconds: 0.5,
      },
      async (jobs) => {
        for (const job of jobs) await handler(job);
      },
    );
  }

  /** Sends a scan job with its dispatch. */
  send(trx: Transaction<Database>, type: ScanTaskType, data: ScanJobData): Promise<string> {
    return this.#send(trx, scanQueues[type], data, 'scan');
  }

  /** Sends a Harbor adapter scan with its request's row. */
  sendHarborScan(trx: Transaction<Database>, data: HarborScanJobData): Promise<string> {
    return this.#send(trx, harborScanQueue, data, 'Harbor scan');
  }

  /** Sends a webhook delivery attempt, due in `delaySeconds`. */
  sendWebhook(trx: Transaction<Database>, data: WebhookJobData, delaySeconds = 0): Promise<string> {
    return this.#send(trx, webhookQueueName, data, 'webhook', delaySeconds);
  }

  async cancel(type: ScanTaskType, jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await this.boss.cancel(scanQueues[type], [...jobIds]);
  }

  /** Starts in-process scan workers on both scan queues. */
  async work(
    handler: ScanJobHandler,
    concurrency: { readonly manual: number; readonly scheduled: number },
  ): Promise<void> {
    for (const type of ['manual', 'scheduled'] as const)
      await this.#work(scanQueues[type], concurrency[type], handler);
  }

  /** Starts in-process workers on the Harbor adapter's queue (same retries and heartbeats as scans). */
  workHarborScans(
    handler: (job: Job<HarborScanJobData>) => Promise<void>,
    concurrency: number,
  ): Promise<void> {
    return this.#work(harborScanQueue, concurrency, handler);
  }

  /** Starts in-process webhook senders (notifications/webhook-sender.ts). */
  workWebhooks(handler: (job: Job<WebhookJobData>) => Promise<void>, concurrency: number): Promise<void> {
    return this.#work(webhookQueueName, concurrency, handler);
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 10_000 });
  }
}
