import type { ColumnType, Generated } from 'kysely';
import type { JsonColumn } from './schema.ts';

/**
 * The tables of project webhooks (migration 0010, notifications/). Kept beside schema.ts, which
 * lists them in `Database`.
 */

/** What a webhook may ask for; `ping` is the test delivery of `POST .../webhooks/{id}/ping`. */
export const webhookEvents = ['task.finished', 'scan.failed', 'findings.new_critical', 'ping'] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/**
 * `queued`: written, not yet handed to the job queue; `pending`: waiting for its first attempt;
 * `retrying`: an attempt failed and the next is scheduled; `succeeded` (a 2xx answer); `failed`
 * (every attempt of the round failed, or the webhook was disabled or gone).
 */
export const webhookDeliveryStatuses = ['queued', 'pending', 'retrying', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

export interface WebhookTable {
  readonly id: string;
  projectId: string;
  url: string;
  events: JsonColumn<readonly WebhookEvent[]>;
  /** The signing secret, sealed by the credential vault with `webhook:<id>` as associated data. */
  secretSealed: string;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface WebhookDeliveryTable {
  /** Also the body's `id` and the `X-Drydock-Delivery` header. */
  readonly id: string;
  webhookId: string;
  projectId: string;
  event: WebhookEvent;
  /** One delivery per webhook and key (null: no deduplication, as for pings). */
  eventKey: string | null;
  /** The exact JSON text sent and signed. */
  body: string;
  status: WebhookDeliveryStatus;
  attempts: Generated<number>;
  /** `attempts` when the current round (first delivery or a redelivery) began. */
  roundStart: Generated<number>;
  responseCode: number | null;
  error: string | null;
  createdAt: Date;
  lastAttemptAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  nextAttemptAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface WebhookAttemptTable {
  deliveryId: string;
  /** 1-based over the delivery's whole life (a redelivery continues the count). */
  attempt: number;
  startedAt: Date;
  durationMs: number;
  succeeded: boolean;
  /** null when no answer came (refused, timed out). */
  responseCode: number | null;
  error: string | null;
  /** When the next attempt is due; null when this was the last of its round. */
  nextAttemptAt: Date | null;
}
