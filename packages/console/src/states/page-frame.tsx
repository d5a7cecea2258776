import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

/** The frame of every console page: its title, a line on what it is for, and its page-level actions. */
export function PageFrame({
  title,
  description,
  actions,
  children,
}: {
  readonly title: string;
  readonly description?: ReactNode;
  readonly actions?: ReactNode;
  readonly children: ReactNode;
}) {
  return (
    <section className="page-frame" aria-label={title}>
      <Flex justify="space-between" align="flex-start" gap={16} style={{ marginBottom: 16 }}>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          {description === undefined ? null : (
            <Typography.Text type="secondary">{description}</Typography.Text>
          )}
        </div>
        {actions === undefined ? null : <Flex gap={8}>{actions}</Flex>}
      </Flex>
      {children}
    </section>
  );
}
