/**
 * The webhooks page's TanStack Query keys, under `['project', projectId]` so switching projects or a
 * project-wide invalidation reaches them. A webhook's delivery log sits under the list's key, so
 * invalidating the list (after a change, a ping) refreshes the logs and last statuses too.
 */
export const webhookQueryKeys = {
  webhooks: (projectId: string) => ['project', projectId, 'webhooks'] as const,
  deliveries: (projectId: string, webhookId: string) =>
    ['project', projectId, 'webhooks', webhookId, 'deliveries'] as const,
  deliveryPage: (projectId: string, webhookId: string, offset: number, limit: number) =>
    ['project', projectId, 'webhooks', webhookId, 'deliveries', { offset, limit }] as const,
};
