import { DatePicker } from 'antd';
import dayjs from 'dayjs';

/**
 * A day range for a task list's `from` (inclusive) and `to` (exclusive) filter: the end day is
 * included up to its last instant, so the bound sent is the start of the day after it.
 */
export function TaskTimeRange({
  from,
  to,
  label,
  onChange,
}: {
  readonly from: string | undefined;
  readonly to: string | undefined;
  /** The accessible name and the placeholder's start ("Started"). */
  readonly label: string;
  readonly onChange: (range: { readonly from: string | undefined; readonly to: string | undefined }) => void;
}) {
  return (
    <DatePicker.RangePicker
      aria-label={`${label} between`}
      placeholder={[`${label} from`, 'until']}
      allowEmpty={[true, true]}
      value={
        from === undefined && to === undefined
          ? null
          : [from ? dayjs(from) : null, to ? dayjs(to).subtract(1, 'day') : null]
      }
      onChange={(range) =>
        onChange({
          from: range?.[0]?.startOf('day').toISOString(),
          to: range?.[1]?.startOf('day').add(1, 'day').toISOString(),
        })
      }
    />
  );
}
