import { Empty } from 'antd';
import type { ReactNode } from 'react';

/** Nothing to show yet: says why, and offers the action that would fill it (e.g. "Add registry"). */
export function EmptyState({
  title,
  description,
  action,
}: {
  readonly title: string;
  readonly description?: ReactNode;
  readonly action?: ReactNode;
}) {
  return (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <>
          <div className="empty-state-title">{title}</div>
          {description === undefined ? null : <div className="empty-state-description">{description}</div>}
        </>
      }
    >
      {action}
    </Empty>
  );
}
