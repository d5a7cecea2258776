import { useMemo } from 'react';
import { EChart, type ChartOption } from '../charts/echart.tsx';

const insideColor = '#1677ff';
const outsideColor = '#f0f0f0';

/** Hours since midnight of an `HH:MM` (`24:00` = 24); undefined for anything else. */
export function hoursOf(time: string): number | undefined {
  const match = /^(\d{2}):(\d{2})$/.exec(time.trim());
  if (!match) return undefined;
  const hours = Number(match[1]) + Number(match[2]) / 60;
  return hours <= 24 ? hours : undefined;
}

/** One stretch of the day, inside the window or not, in hours. */
export interface DayStretch {
  readonly hours: number;
  readonly inside: boolean;
}

/**
 * The day from midnight to midnight cut at the window's edges, as the service reads a window: an
 * end before the start runs past midnight (22:00–06:00), an end equal to the start is the whole day.
 */
export function dayStretches(start: number, end: number): readonly DayStretch[] {
  const stretches: DayStretch[] =
    start === end || (start === 0 && end === 24)
      ? [{ hours: 24, inside: true }]
      : start < end
        ? [
            { hours: start, inside: false },
            { hours: end - start, inside: true },
            { hours: 24 - end, inside: false },
          ]
        : [
            { hours: end, inside: true },
            { hours: start - end, inside: false },
            { hours: 24 - start, inside: true },
          ];
  return stretches.filter((stretch) => stretch.hours > 0);
}

function chartOf(stretches: readonly DayStretch[]): ChartOption {
  return {
    grid: { left: 8, right: 16, top: 8, bottom: 24, containLabel: false },
    tooltip: { show: false },
    xAxis: {
      type: 'value',
      min: 0,
      max: 24,
      interval: 3,
      axisLabel: { formatter: (hour: number) => `${String(hour).padStart(2, '0')}:00` },
      splitLine: { show: true },
    },
    yAxis: { type: 'category', data: ['Day'], show: false },
    series: stretches.map((stretch, index) => ({
      type: 'bar',
      stack: 'day',
      barWidth: 22,
      name: stretch.inside ? 'Scans may start' : 'No scans start',
      data: [stretch.hours],
      itemStyle: { color: stretch.inside ? insideColor : outsideColor },
      silent: true,
      z: index,
    })),
  };
}

/**
 * The scan window on a 24-hour bar: where scans may start (blue) and where they wait (grey), so a
 * window across midnight reads at a glance. Nothing is drawn for times that are not `HH:MM`.
 */
export function WindowChart({
  start,
  end,
  timeZone,
}: {
  readonly start: string;
  readonly end: string;
  readonly timeZone: string;
}) {
  const from = hoursOf(start);
  const to = hoursOf(end);
  // The chart redraws only when the window changes, not on every keystroke elsewhere in the form.
  const option = useMemo(
    () => (from === undefined || to === undefined ? undefined : chartOf(dayStretches(from, to))),
    [from, to],
  );
  if (option === undefined) return null;
  return (
    <EChart
      option={option}
      height={56}
      label={`Scan window ${start}–${end} (${timeZone}) on a 24-hour day`}
    />
  );
}
