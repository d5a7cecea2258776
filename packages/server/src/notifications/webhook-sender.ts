import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import type { Job } from 'pg-boss';
import type { Clock } from '../clock.ts';
import type { JobQueue } from '../queue/job-queue.ts';
import type { CredentialVault } from '../registries/credential-vault.ts';
import type { Database } from '../store/schema.ts';
import type { WebhookJobData } from './webhook-queue.ts';
import { secretContext } from './webhook-service.ts';
import {
  deliveryHeader,
  eventHeader,
  signatureHeader,
  signWebhookBody,
  timestampHeader,
} from './webhook-signature.ts';

export interface WebhookSettings {
  /** Attempts per round (a first delivery, or a redelivery) before the delivery ends `failed`. */
  readonly maxAttempts: number;
  /** The wait after the first failed attempt; each later wait doubles, up to `maxRetryDelayMs`. */
  readonly firstRetryDelayMs: number;
  readonly maxRetryDelayMs: number;
  /** An attempt without a complete answer head within this long fails. */
  readonly timeoutMs: number;
  /** Attempts this process runs at once. */
  readonly concurrency: number;
}

/** Six attempts over about ten minutes: a receiver down for a deploy still gets its events. */
export const defaultWebhookSettings: WebhookSettings = {
  maxAttempts: 6,
  firstRetryDelayMs: 20_000,
  maxRetryDelayMs: 3_600_000,
  timeoutMs: 10_000,
  concurrency: 4,
};

/** Why an attempt that got no answer failed, without the URL (it may carry a token in its query). */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    const code = 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
    return code ? `connection failed (${code})` : `connection failed: ${cause.message}`;
  }
  return error instanceof Error ? error.message : 'the request failed';
}

/**
 * Runs one attempt of a delivery (a job of the webhook queue): POSTs the stored body with its
 * headers and a fresh signature, never following a redirect (a 3xx is a failed attempt: the
 * receiver's URL should be fixed instead), and logs the attempt. A failed attempt with attempts
 * left in its round schedules the next one with exponential backoff, in the same transaction
 * that logs it.
 */
export class WebhookSender {
  private readonly db: Kysely<Database>;
  private readonly vault: CredentialVault;
  private readonly queue: JobQueue;
  private readonly clock: Clock;
  private readonly settings: WebhookSettings;

  constructor(
    db: Kysely<Database>,
    vault: CredentialVault,
    queue: JobQueue,
    clock: Clock,
    settings: WebhookSettings,
  ) {
    this.db = db;
    this.vault = vault;
    this.queue = queue;
    this.clock = clock;
    this.settings = settings;
  }

  async handle(job: Job<WebhookJobData>): Promise<void> {
    const row = await this.db
      .selectFrom('webhookDelivery')
      .innerJoin('webhook', 'webhook.id', 'webhookDelivery.webhookId')
      .select([
        'webhookDelivery.id',
        'webhookDelivery.webhookId',
        'webhookDelivery.event',
        'webhookDelivery.body',
        'webhookDelivery.status',
        'webhookDelivery.attempts',
        'webhookDelivery.roundStart',
        'webhook.url',
        'webhook.enabled',
        'webhook.secretSealed',
      ])
      .where('webhookDelivery.id', '=', job.data.deliveryId)
      .executeTakeFirst();
    // Deleted with its webhook, or already done by another delivery of this job.
    if (!row || (row.status !== 'pending' && row.status !== 'retrying')) return;
    if (!row.enabled && row.event !== 'ping') {
      await this.db
        .updateTable('webhookDelivery')
        .set({ status: 'failed', error: 'the webhook is disabled', nextAttemptAt: null })
        .where('id', '=', row.id)
        .where('attempts', '=', row.attempts)
        .execute();
      return;
    }
    const secret = this.vault.open(row.secretSealed, secretContext(row.webhookId));
    const attempt = row.attempts + 1;
    const startedAt = this.clock.now();
    const started = performance.now();
    // Real time, not the service clock: the receiver compares it with its own clock.
    const timestamp = Math.floor(Date.now() / 1000);
    let responseCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(row.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Drydock-Webhook/1',
          [eventHeader]: row.event,
          [deliveryHeader]: row.id,
          [timestampHeader]: String(timestamp),
          [signatureHeader]: signWebhookBody(secret, timestamp, row.body),
        },
        body: row.body,
      });
      responseCode = response.status;
      // The answer's body is not used: dropping it frees the connection at once.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 300 && response.status < 400) error = `redirect ${response.status} not followed`;
      else if (response.status < 200 || response.status >= 300)
        error = `the receiver answered ${response.status}`;
    } catch (failure) {
      error = describeFailure(failure, this.settings.timeoutMs);
    }
    const durationMs = Math.round(performance.now() - started);
    const succeeded = error === null;
    const inRound = attempt - row.roundStart;
    const retry = !succeeded && inRound < this.settings.maxAttempts;
    // A spread of ±20% keeps many deliveries failed together from retrying together.
    const delayMs = retry
      ? Math.min(this.settings.maxRetryDelayMs, this.settings.firstRetryDelayMs * 2 ** (inRound - 1)) *
        (0.8 + Math.random() * 0.4)
      : 0;
    const nextAttemptAt = retry ? new Date(startedAt.getTime() + durationMs + delayMs) : null;
    await this.db.transaction().execute(async (trx) => {
      // Fenced on the attempt count: of two runs of one job, only the first logs and schedules.
      const updated = await trx
        .updateTable('webhookDelivery')
        .set({
          attempts: attempt,
          status: succeeded ? 'succeeded' : retry ? 'retrying' : 'failed',
          responseCode,
          error,
          lastAttemptAt: startedAt,
          nextAttemptAt,
        })
        .where('id', '=', row.id)
        .where('attempts', '=', row.attempts)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return;
      await trx
        .insertInto('webhookAttempt')
        .values({
          deliveryId: row.id,
          attempt,
          startedAt,
          durationMs,
          succeeded,
          responseCode,
          error,
          nextAttemptAt,
        })
        .execute();
      if (retry) await this.queue.sendWebhook(trx, { deliveryId: row.id }, delayMs / 1000);
    });
  }
}
