import { Tag } from 'antd';
import { deliveryStatusTags } from './webhook-labels.ts';
import type { WebhookDeliveryStatus } from './webhook-types.ts';

/** A delivery's status as a coloured tag; `data-status` carries the API's value for tests and styles. */
export function DeliveryStatusTag({ status }: { readonly status: WebhookDeliveryStatus }) {
  const { color, label } = deliveryStatusTags[status];
  return (
    <Tag color={color} data-status={status} style={{ marginInlineEnd: 0 }}>
      {label}
    </Tag>
  );
}
