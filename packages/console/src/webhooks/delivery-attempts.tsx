import { Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { formatTime } from '../format/format-time.ts';
import type { WebhookAttempt, WebhookDelivery } from './webhook-types.ts';

/** The answer's status code, green for 2xx; "No answer" when the receiver was unreachable or slow. */
function ResponseCode({ attempt }: { readonly attempt: WebhookAttempt }) {
  if (attempt.responseCode === null) return <Tag color="error">No answer</Tag>;
  return (
    <Tag color={attempt.succeeded ? 'success' : 'error'} className="mono">
      {attempt.responseCode}
    </Tag>
  );
}

const columns: TableColumnsType<WebhookAttempt> = [
  { title: '#', dataIndex: 'attempt', key: 'attempt', width: 48 },
  {
    title: 'Sent',
    key: 'startedAt',
    width: 180,
    render: (_value, attempt) => formatTime(attempt.startedAt),
  },
  {
    title: 'Response',
    key: 'responseCode',
    width: 110,
    render: (_value, attempt) => <ResponseCode attempt={attempt} />,
  },
  {
    title: 'Error',
    key: 'error',
    render: (_value, attempt) => attempt.error ?? <Typography.Text type="secondary">—</Typography.Text>,
  },
  {
    title: 'Took',
    key: 'durationMs',
    width: 90,
    render: (_value, attempt) => `${attempt.durationMs} ms`,
  },
  {
    title: 'Next attempt',
    key: 'nextAttemptAt',
    width: 180,
    render: (_value, attempt) => formatTime(attempt.nextAttemptAt, attempt.succeeded ? '—' : 'None: gave up'),
  },
];

/**
 * One delivery's attempts in order (a redelivery continues the numbering) and the JSON body as sent,
 * byte for byte what the signature covers, so a receiver's author can compare.
 */
export function DeliveryAttempts({ delivery }: { readonly delivery: WebhookDelivery }) {
  return (
    <Flex vertical gap={8} data-testid="delivery-attempts">
      <Table<WebhookAttempt>
        rowKey="attempt"
        size="small"
        columns={columns}
        dataSource={[...delivery.attempts]}
        pagination={false}
        aria-label="Attempts"
        locale={{ emptyText: 'Not attempted yet.' }}
      />
      <Typography.Text type="secondary">
        Delivery <Typography.Text code>{delivery.id}</Typography.Text> (the X-Drydock-Delivery header; a
        redelivery keeps it). Body as sent:
      </Typography.Text>
      <pre className="mono" style={{ margin: 0, maxHeight: 200, overflow: 'auto', whiteSpace: 'pre-wrap' }}>
        {delivery.body}
      </pre>
    </Flex>
  );
}
