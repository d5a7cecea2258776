import type { WebhookDeliveryStatus, WebhookEvent } from './webhook-types.ts';

/** What each event means to the person ticking it (notifications/webhook-events.ts sends them). */
export const webhookEventLabels: Readonly<
  Record<WebhookEvent, { readonly label: string; readonly description: string }>
> = {
  'task.finished': { label: 'Task finished', description: 'a scan task ended, with its image counts' },
  'scan.failed': { label: 'Scan failed', description: 'an image could not be scanned, with the reason' },
  'findings.new_critical': {
    label: 'New critical findings',
    description: 'a scan or a database update found critical vulnerabilities not seen before',
  },
  ping: { label: 'Ping', description: 'test deliveries sent with "Send ping" (always sent)' },
};

/** The events a person subscribes to; pings are sent on request whatever a webhook asks for. */
export const subscribableEvents = ['task.finished', 'scan.failed', 'findings.new_critical'] as const;

export const deliveryStatusTags: Readonly<
  Record<WebhookDeliveryStatus, { readonly color: string; readonly label: string }>
> = {
  queued: { color: 'default', label: 'Queued' },
  pending: { color: 'processing', label: 'Sending' },
  retrying: { color: 'warning', label: 'Retrying' },
  succeeded: { color: 'success', label: 'Delivered' },
  failed: { color: 'error', label: 'Failed' },
};

/** Statuses whose delivery is still being attempted: the log polls while one shows, and redelivery waits. */
export const activeDeliveryStatuses: readonly WebhookDeliveryStatus[] = ['queued', 'pending', 'retrying'];
