import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { formatCount } from '../format/format-time.ts';

export interface CountItem {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly count: number;
  /** The count is a lower bound: shown as "10,000+". */
  readonly atLeast?: boolean;
  /** Where the count leads (the image list filtered to it), if anywhere. */
  readonly link?: (content: ReactNode) => ReactNode;
}

/** The numbers beside a chart: a coloured key, the label, the count. */
export function CountList({
  items,
  label,
}: {
  readonly items: readonly CountItem[];
  readonly label: string;
}) {
  return (
    <Flex vertical gap={6} role="list" aria-label={label} style={{ minWidth: 170 }}>
      {items.map((item) => {
        const content = (
          <Flex justify="space-between" gap={16}>
            <span>
              <span
                aria-hidden
                style={{
                  display: 'inline-block',
                  width: 10,
                  height: 10,
                  borderRadius: 2,
                  background: item.color,
                  marginRight: 8,
                }}
              />
              {item.label}
            </span>
            <Typography.Text strong data-count={item.key}>
              {formatCount(item.count)}
              {item.atLeast ? '+' : ''}
            </Typography.Text>
          </Flex>
        );
        return (
          <div role="listitem" key={item.key}>
            {item.link ? item.link(content) : content}
          </div>
        );
      })}
    </Flex>
  );
}
