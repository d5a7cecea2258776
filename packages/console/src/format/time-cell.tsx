import { Tooltip, Typography } from 'antd';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const clockFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long' });

/** An API instant in a narrow table column: the date, the time beneath it, the full instant on hover. */
export function TimeCell({
  value,
  fallback = '—',
}: {
  readonly value: string | null;
  readonly fallback?: string;
}) {
  if (!value) return <Typography.Text type="secondary">{fallback}</Typography.Text>;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return (
    <Tooltip title={fullFormat.format(date)}>
      <div>
        <div>{dateFormat.format(date)}</div>
        <Typography.Text type="secondary">{clockFormat.format(date)}</Typography.Text>
      </div>
    </Tooltip>
  );
}
