import { DeleteOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { ReasonedButton } from '../access/reasoned-button.tsx';
import { useMe } from '../access/use-me.ts';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import { formatTime } from '../format/format-time.ts';
import { useCurrentProjectId } from '../shell/use-project-id.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';
import { RefreshButton } from '../states/refresh-button.tsx';
import { useDialogState } from '../states/use-dialog-state.ts';
import { DeliveryStatusTag } from './delivery-status-tag.tsx';
import { useLastDeliveries, useWebhooks, webhooksPath } from './use-webhooks.ts';
import { useWebhookAccess } from './use-webhook-access.ts';
import { WebhookDeliveriesDrawer } from './webhook-deliveries-drawer.tsx';
import { WebhookFormDialog } from './webhook-form-dialog.tsx';
import { webhookEventLabels } from './webhook-labels.ts';
import { webhookQueryKeys } from './webhook-query-keys.ts';
import { WebhookSecretDialog } from './webhook-secret-dialog.tsx';
import type { CreatedWebhook, Webhook, WebhookDelivery } from './webhook-types.ts';

function LastDelivery({ delivery }: { readonly delivery: WebhookDelivery | null | undefined }) {
  if (delivery === undefined) return <Typography.Text type="secondary">…</Typography.Text>;
  if (delivery === null) return <Typography.Text type="secondary">None yet</Typography.Text>;
  return (
    <Tooltip title={`${delivery.event}, ${formatTime(delivery.lastAttemptAt ?? delivery.createdAt)}`}>
      <span data-testid="last-delivery">
        <DeliveryStatusTag status={delivery.status} />
      </span>
    </Tooltip>
  );
}

/**
 * Webhooks (PRODUCT.md notifications): where the project's events go. Each webhook is a URL that
 * gets signed JSON POSTs for the events it asks for; the table shows each one's newest delivery,
 * and its log (every attempt, the answer codes, retries, redelivery) opens in a drawer. Creating
 * one shows its signing secret once. Anyone who may list images sees the list and the logs;
 * managing them needs `iam:set`, and the buttons say so.
 */
export function WebhooksPage() {
  const projectId = useCurrentProjectId();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const me = useMe();
  const access = useWebhookAccess();
  const webhooks = useWebhooks(projectId);
  const list = webhooks.data ?? [];
  const last = useLastDeliveries(projectId, list);
  const dialog = useDialogState<{ readonly editing: Webhook | undefined }>();
  const [created, setCreated] = useState<CreatedWebhook | undefined>(undefined);
  const [logOf, setLogOf] = useState<Webhook | undefined>(undefined);
  const refreshAll = () => queryClient.invalidateQueries({ queryKey: webhookQueryKeys.webhooks(projectId) });

  const ping = useMutation({
    mutationFn: (webhook: Webhook) =>
      api.post<WebhookDelivery>(`${webhooksPath(projectId, webhook.id)}/ping`),
    onSuccess: (_delivery, webhook) => {
      void refreshAll();
      void message.success('Ping sent: the delivery log shows what the receiver answered.');
      setLogOf(webhook);
    },
    onError: (error) => void message.error(describeError(error)),
  });
  const remove = useMutation({
    mutationFn: (webhook: Webhook) => api.command('DELETE', webhooksPath(projectId, webhook.id)),
    onSuccess: (_nothing, webhook) => {
      // Drop the webhook and its log from the cache first: refetching its log would answer 404.
      const listKey = webhookQueryKeys.webhooks(projectId);
      queryClient.setQueryData<readonly Webhook[]>(listKey, (current) =>
        current?.filter((entry) => entry.id !== webhook.id),
      );
      queryClient.removeQueries({ queryKey: webhookQueryKeys.deliveries(projectId, webhook.id) });
      void queryClient.invalidateQueries({ queryKey: listKey, exact: true });
      void message.success(`Webhook ${webhook.url} deleted with its delivery log.`);
    },
    onError: (error) => void message.error(describeError(error)),
  });

  const columns: TableColumnsType<Webhook> = [
    {
      title: 'URL',
      key: 'url',
      ellipsis: { showTitle: true },
      render: (_value, webhook) => <Typography.Text className="mono">{webhook.url}</Typography.Text>,
    },
    {
      title: 'Events',
      key: 'events',
      width: 230,
      render: (_value, webhook) => (
        <Flex gap={4} wrap>
          {webhook.events.map((event) => (
            <Tooltip key={event} title={webhookEventLabels[event].description}>
              <Tag style={{ marginInlineEnd: 0 }}>{webhookEventLabels[event].label}</Tag>
            </Tooltip>
          ))}
        </Flex>
      ),
    },
    {
      title: 'Enabled',
      key: 'enabled',
      width: 96,
      render: (_value, webhook) => (
        <Tag color={webhook.enabled ? 'success' : 'default'} data-enabled={String(webhook.enabled)}>
          {webhook.enabled ? 'Enabled' : 'Disabled'}
        </Tag>
      ),
    },
    {
      title: 'Last delivery',
      key: 'lastDelivery',
      width: 120,
      render: (_value, webhook) => <LastDelivery delivery={last.get(webhook.id)} />,
    },
    {
      title: 'Actions',
      key: 'actions',
      width: 290,
      render: (_value, webhook) => (
        <Flex gap={4} wrap>
          <Button size="small" onClick={() => setLogOf(webhook)}>
            Deliveries
          </Button>
          <ReasonedButton
            size="small"
            icon={<SendOutlined />}
            reason={access.reason}
            loading={ping.isPending && ping.variables.id === webhook.id}
            onClick={() => ping.mutate(webhook)}
          >
            Send ping
          </ReasonedButton>
          <ReasonedButton
            size="small"
            reason={access.reason}
            onClick={() => dialog.show({ editing: webhook })}
          >
            Edit
          </ReasonedButton>
          <ReasonedButton
            size="small"
            danger
            icon={<DeleteOutlined />}
            aria-label={`Delete webhook ${webhook.url}`}
            reason={access.reason}
            confirm={{
              title: 'Delete this webhook?',
              description: `${webhook.url} gets no more events, and its delivery log is deleted with it.`,
              okText: 'Delete',
              onConfirm: () => remove.mutate(webhook),
            }}
          />
        </Flex>
      ),
    },
  ];

  const addButton = (
    <ReasonedButton
      type="primary"
      icon={<PlusOutlined />}
      reason={access.reason}
      onClick={() => dialog.show({ editing: undefined })}
    >
      Add webhook
    </ReasonedButton>
  );
  return (
    <PageFrame
      title="Webhooks"
      description="Signed HTTP notifications of this project's events: finished tasks, failed scans, new critical findings."
      actions={
        <>
          <RefreshButton query={webhooks} />
          {addButton}
        </>
      }
    >
      {access.allowed || !me.data ? null : (
        <Alert
          type="info"
          showIcon
          data-testid="webhooks-read-only"
          style={{ marginBottom: 16 }}
          title="Read only"
          description={access.reason}
        />
      )}
      {webhooks.isError ? (
        <ErrorState error={webhooks.error} onRetry={() => void webhooks.refetch()} />
      ) : (
        <Table<Webhook>
          rowKey="id"
          columns={columns}
          dataSource={[...list]}
          loading={webhooks.isPending}
          pagination={false}
          aria-label="Webhooks"
          scroll={{ x: 960 }}
          locale={{
            emptyText: webhooks.isPending ? (
              ' '
            ) : (
              <EmptyState
                title="No webhooks yet"
                description="Add one to have Drydock tell a chat, a ticket system or a CI job when a scan ends or finds something critical."
                action={addButton}
              />
            ),
          }}
        />
      )}
      <WebhookFormDialog
        key={dialog.key}
        open={dialog.open}
        projectId={projectId}
        editing={dialog.value?.editing}
        onClose={dialog.close}
        onCreated={(webhook) => {
          dialog.close();
          setCreated(webhook);
        }}
      />
      <WebhookSecretDialog created={created} onClose={() => setCreated(undefined)} />
      <WebhookDeliveriesDrawer projectId={projectId} webhook={logOf} onClose={() => setLogOf(undefined)} />
    </PageFrame>
  );
}
