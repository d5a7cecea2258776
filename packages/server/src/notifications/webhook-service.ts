import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { JobQueue } from '../queue/job-queue.ts';
import type { CredentialVault } from '../registries/credential-vault.ts';
import { ServiceError, notFound, parseRequest } from '../service-error.ts';
import { toJson } from '../store/json.ts';
import type { Database } from '../store/schema.ts';
import {
  webhookEvents,
  type WebhookDeliveryStatus,
  type WebhookEvent,
  type WebhookDeliveryTable,
  type WebhookTable,
} from '../store/schema-webhooks.ts';
import { enqueueWebhookEvent } from './webhook-events.ts';

/** A webhook as callers see it: never its secret. */
export interface Webhook {
  readonly id: string;
  readonly projectId: string;
  readonly url: string;
  readonly events: readonly WebhookEvent[];
  readonly enabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The answer to a creation (or a secret change): the only time the secret is shown. */
export interface WebhookWithSecret extends Webhook {
  readonly secret: string;
}

export interface WebhookAttempt {
  readonly attempt: number;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly succeeded: boolean;
  readonly responseCode: number | null;
  readonly error: string | null;
  readonly nextAttemptAt: Date | null;
}

export interface WebhookDelivery {
  readonly id: string;
  readonly webhookId: string;
  readonly event: WebhookEvent;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: readonly WebhookAttempt[];
  readonly responseCode: number | null;
  readonly error: string | null;
  readonly createdAt: Date;
  readonly lastAttemptAt: Date | null;
  readonly nextAttemptAt: Date | null;
  /** The JSON body as sent (signed byte for byte). */
  readonly body: string;
}

/**
 * http or https, no user name or password in it (a secret in a URL ends up in logs and in the
 * console for everyone who may list webhooks), no fragment (it is never sent).
 */
const webhookUrl = z
  .string()
  .max(2000)
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hash === '';
  }, 'an http or https URL without a fragment')
  .refine((value) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    return url === undefined || (url.username === '' && url.password === '');
  }, 'credentials in the URL are refused: the signature authenticates deliveries');

/** At least 16 characters: the secret keys the HMAC, so it must not be guessable. */
const secretSchema = z
  .string()
  .min(16)
  .max(256)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

const eventList = z
  .array(z.enum(webhookEvents))
  .min(1)
  .max(webhookEvents.length)
  .transform((events) => [...new Set(events)]);

export const webhookInputSchema = z.strictObject({
  url: webhookUrl,
  events: eventList,
  secret: secretSchema.optional(),
  enabled: z.boolean().optional(),
});
export type WebhookInput = z.input<typeof webhookInputSchema>;

export const webhookUpdateSchema = z.strictObject({
  url: webhookUrl.optional(),
  events: eventList.optional(),
  secret: secretSchema.optional(),
  enabled: z.boolean().optional(),
});
export type WebhookUpdate = z.input<typeof webhookUpdateSchema>;

function toWebhook(row: Selectable<WebhookTable>): Webhook {
  return {
    id: row.id,
    projectId: row.projectId,
    url: row.url,
    events: row.events,
    enabled: row.enabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The associated data a webhook's secret is sealed with: a sealed secret moved to another row fails to open. */
export function secretContext(webhookId: string): string {
  return `webhook:${webhookId}`;
}

/**
 * Project webhooks (PRODUCT.md notifications): their settings, the delivery log, test pings and
 * redeliveries, and the round that hands queued deliveries to the job queue.
 */
export class WebhookService {
  private readonly db: Kysely<Database>;
  private readonly vault: CredentialVault;
  private readonly queue: JobQueue;
  private readonly clock: Clock;

  constructor(db: Kysely<Database>, vault: CredentialVault, queue: JobQueue, clock: Clock) {
    this.db = db;
    this.vault = vault;
    this.queue = queue;
    this.clock = clock;
  }

  async list(projectId: string): Promise<Webhook[]> {
    const rows = await this.db
      .selectFrom('webhook')
      .selectAll()
      .where('projectId', '=', projectId)
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
    return rows.map(toWebhook);
  }

  async get(projectId: string, id: string): Promise<Webhook> {
    return toWebhook(await this.#row(projectId, id));
  }

  /** Creates a webhook; without a given secret one is generated. The answer is the only one holding it. */
  async create(projectId: string, input: unknown): Promise<WebhookWithSecret> {
    const data = parseRequest(webhookInputSchema, input, 'webhook');
    const project = await this.db
      .selectFrom('project')
      .select('id')
      .where('id', '=', projectId)
      .executeTakeFirst();
    if (!project) throw notFound('project', projectId);
    const id = randomUUID();
    const secret = data.secret ?? `whsec_${randomBytes(32).toString('base64url')}`;
    const now = this.clock.now();
    const row = await this.db
      .insertInto('webhook')
      .values({
        id,
        projectId,
        url: data.url,
        events: toJson<readonly WebhookEvent[]>(data.events),
        secretSealed: this.vault.seal(secret, secretContext(id)),
        enabled: data.enabled ?? true,
        createdAt: now,
        updatedAt: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ...toWebhook(row), secret };
  }

  /** Changes the given fields; a new `secret` applies to the next attempt of every delivery. */
  async update(projectId: string, id: string, input: unknown): Promise<Webhook> {
    const data = parseRequest(webhookUpdateSchema, input, 'webhook update');
    await this.#row(projectId, id);
    const row = await this.db
      .updateTable('webhook')
      .set({
        updatedAt: this.clock.now(),
        ...(data.url === undefined ? {} : { url: data.url }),
        ...(data.events === undefined ? {} : { events: toJson<readonly WebhookEvent[]>(data.events) }),
        ...(data.enabled === undefined ? {} : { enabled: data.enabled }),
        ...(data.secret === undefined
          ? {}
          : { secretSealed: this.vault.seal(data.secret, secretContext(id)) }),
      })
      .where('projectId', '=', projectId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('webhook', id);
    return toWebhook(row);
  }

  /** Deletes the webhook and its delivery log; attempts already queued find nothing to send. */
  async delete(projectId: string, id: string): Promise<void> {
    const result = await this.db
      .deleteFrom('webhook')
      .where('projectId', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (result.numDeletedRows === 0n) throw notFound('webhook', id);
  }

  /** Sends a `ping` delivery now (also to a disabled webhook: it tests the receiver); returns its id. */
  async ping(projectId: string, id: string): Promise<string> {
    const webhook = await this.#row(projectId, id);
    return this.db.transaction().execute(async (trx) => {
      const [deliveryId] = await enqueueWebhookEvent(
        trx,
        projectId,
        'ping',
        { webhook: { id: webhook.id, url: webhook.url, events: webhook.events } },
        { at: this.clock.now(), webhookId: id },
      );
      if (!deliveryId) throw notFound('webhook', id);
      await this.#send(trx, deliveryId);
      return deliveryId;
    });
  }

  /**
   * Sends a finished delivery again: the same body and delivery id (receivers deduplicate on it),
   * a new timestamp and signature, and a new round of attempts. Refused (`conflict`) while the
   * delivery is still being attempted.
   */
  async redeliver(projectId: string, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
    await this.db.transaction().execute(async (trx) => {
      const delivery = await trx
        .selectFrom('webhookDelivery')
        .select(['id', 'status', 'attempts'])
        .where('projectId', '=', projectId)
        .where('webhookId', '=', webhookId)
        .where('id', '=', deliveryId)
        .forUpdate()
        .executeTakeFirst();
      if (!delivery) throw notFound('delivery', deliveryId);
      if (delivery.status !== 'succeeded' && delivery.status !== 'failed')
        throw new ServiceError('conflict', 'the delivery is still being attempted', {
          deliveryId,
          status: delivery.status,
        });
      await trx
        .updateTable('webhookDelivery')
        .set({ roundStart: delivery.attempts })
        .where('id', '=', deliveryId)
        .execute();
      await this.#send(trx, deliveryId);
    });
    return this.delivery(projectId, webhookId, deliveryId);
  }

  /** The webhook's deliveries, newest first, each with its attempts in order. */
  async deliveries(
    projectId: string,
    webhookId: string,
    page: { readonly offset: number; readonly limit: number },
  ): Promise<{ readonly items: WebhookDelivery[]; readonly total: number }> {
    await this.#row(projectId, webhookId);
    const rows = await this.db
      .selectFrom('webhookDelivery')
      .selectAll()
      .where('webhookId', '=', webhookId)
      .orderBy('createdAt', 'desc')
      .orderBy('id')
      .offset(page.offset)
      .limit(page.limit)
      .execute();
    const total = await this.db
      .selectFrom('webhookDelivery')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('webhookId', '=', webhookId)
      .executeTakeFirstOrThrow();
    const items = await this.#withAttempts(rows);
    return { items, total: Number(total.n) };
  }

  async delivery(projectId: string, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
    const row = await this.db
      .selectFrom('webhookDelivery')
      .selectAll()
      .where('projectId', '=', projectId)
      .where('webhookId', '=', webhookId)
      .where('id', '=', deliveryId)
      .executeTakeFirst();
    const [found] = row ? await this.#withAttempts([row]) : [];
    if (!found) throw notFound('delivery', deliveryId);
    return found;
  }

  async #withAttempts(rows: readonly Selectable<WebhookDeliveryTable>[]): Promise<WebhookDelivery[]> {
    const attempts =
      rows.length === 0
        ? []
        : await this.db
            .selectFrom('webhookAttempt')
            .selectAll()
            .where(
              'deliveryId',
              'in',
              rows.map((row) => row.id),
            )
            .orderBy('attempt')
            .execute();
    return rows.map((row) => ({
      id: row.id,
      webhookId: row.webhookId,
      event: row.event,
      status: row.status,
      attempts: attempts
        .filter((attempt) => attempt.deliveryId === row.id)
        .map(({ deliveryId: _delivery, ...attempt }) => attempt),
      responseCode: row.responseCode,
      error: row.error,
      createdAt: row.createdAt,
      lastAttemptAt: row.lastAttemptAt,
      nextAttemptAt: row.nextAttemptAt,
      body: row.body,
    }));
  }

  /**
   * Hands queued deliveries (written with the changes that caused them) to the job queue; the
   * service's round calls it. Rows locked by another process's round are left to it.
   */
  async dispatchQueued(limit = 200): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const queued = await trx
        .selectFrom('webhookDelivery')
        .select('id')
        .where('status', '=', 'queued')
        .orderBy('createdAt')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const delivery of queued) await this.#send(trx, delivery.id);
      return queued.length;
    });
  }

  async #send(trx: Transaction<Database>, deliveryId: string): Promise<void> {
    await trx
      .updateTable('webhookDelivery')
      .set({ status: 'pending', nextAttemptAt: null })
      .where('id', '=', deliveryId)
      .execute();
    await this.queue.sendWebhook(trx, { deliveryId });
  }

  async #row(projectId: string, id: string): Promise<Selectable<WebhookTable>> {
    const row = await this.db
      .selectFrom('webhook')
      .selectAll()
      .where('projectId', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('webhook', id);
    return row;
  }
}
