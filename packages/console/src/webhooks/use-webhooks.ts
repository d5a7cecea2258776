import { useQueries, useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import { activeDeliveryStatuses } from './webhook-labels.ts';
import { webhookQueryKeys } from './webhook-query-keys.ts';
import type { Webhook, WebhookDelivery, WebhookDeliveryPage } from './webhook-types.ts';

/** While a delivery is being attempted its row changes within seconds; after that, never. */
const activePollMs = 1000;

export function webhooksPath(projectId: string, webhookId?: string): string {
  const base = `/projects/${encodeURIComponent(projectId)}/webhooks`;
  return webhookId === undefined ? base : `${base}/${encodeURIComponent(webhookId)}`;
}

function isActive(page: WebhookDeliveryPage | undefined): boolean {
  return page?.items.some((delivery) => activeDeliveryStatuses.includes(delivery.status)) ?? false;
}

/** The project's webhooks, oldest first, without secrets (`GET .../webhooks`). */
export function useWebhooks(projectId: string) {
  const api = useApi();
  return useQuery({
    queryKey: webhookQueryKeys.webhooks(projectId),
    queryFn: ({ signal }) => api.get<readonly Webhook[]>(webhooksPath(projectId), undefined, signal),
  });
}

/**
 * Each webhook's newest delivery (the list has no such field, so one `limit=1` read per webhook;
 * projects hold a handful). Polls while that delivery is still being attempted, so the table's
 * status follows a ping or a retry without a refresh. Undefined: not loaded (or failed); null: none yet.
 */
export function useLastDeliveries(
  projectId: string,
  webhooks: readonly Webhook[],
): ReadonlyMap<string, WebhookDelivery | null | undefined> {
  const api = useApi();
  const results = useQueries({
    queries: webhooks.map((webhook) => ({
      queryKey: webhookQueryKeys.deliveryPage(projectId, webhook.id, 0, 1),
      queryFn: ({ signal }: { readonly signal: AbortSignal }) =>
        api.get<WebhookDeliveryPage>(
          `${webhooksPath(projectId, webhook.id)}/deliveries`,
          { offset: 0, limit: 1 },
          signal,
        ),
      refetchInterval: (query: { readonly state: { readonly data: WebhookDeliveryPage | undefined } }) =>
        isActive(query.state.data) ? activePollMs : false,
    })),
  });
  return new Map(
    webhooks.map((webhook, index) => {
      const data = results[index]?.data;
      return [webhook.id, data === undefined ? undefined : (data.items[0] ?? null)];
    }),
  );
}

/** One page of a webhook's delivery log, newest first; polls while a delivery on it is being attempted. */
export function useDeliveryPage(
  projectId: string,
  webhookId: string | undefined,
  offset: number,
  limit: number,
) {
  const api = useApi();
  return useQuery({
    queryKey: webhookQueryKeys.deliveryPage(projectId, webhookId ?? '', offset, limit),
    queryFn: ({ signal }) =>
      api.get<WebhookDeliveryPage>(
        `${webhooksPath(projectId, webhookId ?? '')}/deliveries`,
        { offset, limit },
        signal,
      ),
    enabled: webhookId !== undefined,
    refetchInterval: (query) => (isActive(query.state.data) ? activePollMs : false),
  });
}
