/**
 * The job queue's webhook queue (queue/job-queue.ts creates it beside the scan queues): one job
 * per attempt of a delivery. The schedule of a delivery's attempts (exponential backoff) is the
 * sender's (webhook-sender.ts): a failed attempt logs itself and sends the next job with its
 * start time in the same transaction, so the log's "next attempt" is exactly when it runs.
 * pg-boss's own retries only cover a worker that died or lost its connection mid-attempt.
 */

export const webhookQueueName = 'webhook';

export interface WebhookJobData {
  readonly deliveryId: string;
}

export const webhookQueueOptions = {
  retryLimit: 2,
  retryDelay: 30,
  retryBackoff: true,
  /** Longer than any attempt (bounded by the sender's timeout) takes. */
  expireInSeconds: 300,
  notify: true,
} as const;
