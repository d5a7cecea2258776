/**
 * The API's webhook replies and bodies (server api/routes/webhook-routes.ts, notifications/), written
 * out from its schemas: instants are RFC 3339 strings. test/console/console-contract.test.ts checks
 * the two value lists against the OpenAPI document.
 */

/** What a webhook may ask for; `ping` is the test delivery the console's "Send ping" sends. */
export const webhookEvents = ['task.finished', 'scan.failed', 'findings.new_critical', 'ping'] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/**
 * `queued`: written, not yet handed to the job queue; `pending`: waiting for its first attempt;
 * `retrying`: an attempt failed and the next is scheduled; `succeeded`: a 2xx answer; `failed`:
 * every attempt of the round failed, or the webhook was disabled or deleted meanwhile.
 */
export const webhookDeliveryStatuses = ['queued', 'pending', 'retrying', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

/** `Webhook`: never holds the secret. */
export interface Webhook {
  readonly id: string;
  readonly projectId: string;
  readonly url: string;
  readonly events: readonly WebhookEvent[];
  readonly enabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** `CreatedWebhook`: the answer to a creation, the only one holding the signing secret. */
export interface CreatedWebhook extends Webhook {
  readonly secret: string;
}

/** `WebhookAttempt`: one POST to the receiver. */
export interface WebhookAttempt {
  /** 1-based; a redelivery continues the count. */
  readonly attempt: number;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly succeeded: boolean;
  /** null when no answer came (refused, timed out). */
  readonly responseCode: number | null;
  readonly error: string | null;
  /** null when this was the last attempt of its round. */
  readonly nextAttemptAt: string | null;
}

/** `WebhookDelivery`: one event sent to one webhook, with its attempts in order. */
export interface WebhookDelivery {
  /** Also the body's `id` and the X-Drydock-Delivery header (a redelivery keeps it). */
  readonly id: string;
  readonly webhookId: string;
  readonly event: WebhookEvent;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: readonly WebhookAttempt[];
  readonly responseCode: number | null;
  readonly error: string | null;
  readonly createdAt: string;
  readonly lastAttemptAt: string | null;
  readonly nextAttemptAt: string | null;
  /** The JSON body as sent. */
  readonly body: string;
}

/** `WebhookDeliveryPage`: newest first. */
export interface WebhookDeliveryPage {
  readonly items: readonly WebhookDelivery[];
  readonly total: number;
}

/** `POST .../webhooks`: without `secret` the service generates one (at least 16 printable characters when given). */
export interface WebhookInput {
  readonly url: string;
  readonly events: readonly WebhookEvent[];
  readonly secret?: string;
  readonly enabled?: boolean;
}

/** `PATCH .../webhooks/{id}`: only the given fields change. */
export interface WebhookUpdate {
  readonly url?: string;
  readonly events?: readonly WebhookEvent[];
  readonly secret?: string;
  readonly enabled?: boolean;
}
