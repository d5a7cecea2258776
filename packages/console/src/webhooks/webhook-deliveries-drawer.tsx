import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Drawer, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { ReasonedButton } from '../access/reasoned-button.tsx';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import { TimeCell } from '../format/time-cell.tsx';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { RefreshButton } from '../states/refresh-button.tsx';
import { DeliveryAttempts } from './delivery-attempts.tsx';
import { DeliveryStatusTag } from './delivery-status-tag.tsx';
import { useDeliveryPage, webhooksPath } from './use-webhooks.ts';
import { useWebhookAccess } from './use-webhook-access.ts';
import { activeDeliveryStatuses, webhookEventLabels } from './webhook-labels.ts';
import { webhookQueryKeys } from './webhook-query-keys.ts';
import type { Webhook, WebhookDelivery } from './webhook-types.ts';

const pageSize = 20;

/** The newest attempt's outcome in a few words. */
function lastAnswer(delivery: WebhookDelivery): string {
  if (delivery.attempts.length === 0) return 'Not attempted yet';
  if (delivery.responseCode !== null) return `HTTP ${delivery.responseCode}`;
  return delivery.error ?? 'No answer';
}

/**
 * A webhook's delivery log (`GET .../deliveries`), newest first and paged by the service: each
 * delivery's event, status, attempt count, last answer and next attempt, expandable to every attempt
 * and the body. It follows deliveries still being attempted (the query polls) and offers to send a
 * finished one again; the service refuses a redelivery while attempts are still due, so the button
 * says so instead.
 */
export function WebhookDeliveriesDrawer({
  projectId,
  webhook,
  onClose,
}: {
  readonly projectId: string;
  /** The webhook whose log shows; undefined: the drawer is closed. */
  readonly webhook: Webhook | undefined;
  readonly onClose: () => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const access = useWebhookAccess();
  const [page, setPage] = useState(1);
  const deliveries = useDeliveryPage(projectId, webhook?.id, (page - 1) * pageSize, pageSize);
  const redeliver = useMutation({
    mutationFn: (delivery: WebhookDelivery) =>
      api.post<WebhookDelivery>(
        `${webhooksPath(projectId, delivery.webhookId)}/deliveries/${encodeURIComponent(delivery.id)}/redeliver`,
      ),
    onSuccess: (delivery) => {
      void queryClient.invalidateQueries({
        queryKey: webhookQueryKeys.deliveries(projectId, delivery.webhookId),
      });
      void message.success(`${webhookEventLabels[delivery.event].label} delivery sent again.`);
    },
    onError: (error) => void message.error(describeError(error)),
  });

  const columns: TableColumnsType<WebhookDelivery> = [
    {
      title: 'Event',
      key: 'event',
      render: (_value, delivery) => <Typography.Text className="mono">{delivery.event}</Typography.Text>,
    },
    {
      title: 'Status',
      key: 'status',
      width: 100,
      render: (_value, delivery) => <DeliveryStatusTag status={delivery.status} />,
    },
    {
      title: 'Attempts',
      key: 'attempts',
      width: 86,
      render: (_value, delivery) => delivery.attempts.length,
    },
    { title: 'Last answer', key: 'lastAnswer', render: (_value, delivery) => lastAnswer(delivery) },
    {
      title: 'Created',
      key: 'createdAt',
      width: 120,
      render: (_value, delivery) => <TimeCell value={delivery.createdAt} />,
    },
    {
      title: 'Next attempt',
      key: 'nextAttemptAt',
      width: 120,
      render: (_value, delivery) => <TimeCell value={delivery.nextAttemptAt} fallback="—" />,
    },
    {
      title: 'Actions',
      key: 'actions',
      width: 110,
      render: (_value, delivery) => (
        <ReasonedButton
          size="small"
          reason={
            access.allowed
              ? activeDeliveryStatuses.includes(delivery.status)
                ? 'Still being attempted: redeliver once it has succeeded or failed.'
                : undefined
              : access.reason
          }
          loading={redeliver.isPending && redeliver.variables.id === delivery.id}
          onClick={() => redeliver.mutate(delivery)}
        >
          Redeliver
        </ReasonedButton>
      ),
    },
  ];

  return (
    <Drawer
      open={webhook !== undefined}
      onClose={() => {
        setPage(1);
        onClose();
      }}
      title={webhook ? `Deliveries to ${webhook.url}` : 'Deliveries'}
      size={980}
      destroyOnHidden
      extra={<RefreshButton query={deliveries} />}
    >
      <div data-testid="webhook-deliveries">
        {deliveries.isError ? (
          <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} />
        ) : (
          <Table<WebhookDelivery>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={deliveries.data ? [...deliveries.data.items] : []}
            loading={deliveries.isPending}
            aria-label="Deliveries"
            expandable={{ expandedRowRender: (delivery) => <DeliveryAttempts delivery={delivery} /> }}
            pagination={{
              current: page,
              pageSize,
              total: deliveries.data?.total ?? 0,
              hideOnSinglePage: true,
              showSizeChanger: false,
              onChange: setPage,
            }}
            locale={{
              emptyText: deliveries.isPending ? (
                ' '
              ) : (
                <EmptyState
                  title="Nothing delivered yet"
                  description="Deliveries show here when an event the webhook asks for happens, or after “Send ping”."
                />
              ),
            }}
          />
        )}
      </div>
    </Drawer>
  );
}
