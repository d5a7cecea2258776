import type { FindingTrend, TrendDay } from '../api/overview-types.ts';

/**
 * The trend's day axis: every UTC day from the later of the range's start and the project's first
 * recorded day, to today. Days the service did not record stay on the axis without a value, so a
 * gap reads as a gap rather than as a steady line.
 */

const dayMs = 86_400_000;

/** Longest axis the chart draws (the API's longest range). */
const maxAxisDays = 366;

export interface TrendAxis {
  /** `YYYY-MM-DD` each, oldest first. */
  readonly days: readonly string[];
  /** The recorded day of each axis day, if recorded. */
  readonly recorded: readonly (TrendDay | undefined)[];
}

export function trendAxis(trend: FindingTrend): TrendAxis {
  const start =
    trend.firstRecordedDay !== null && trend.firstRecordedDay > trend.since
      ? trend.firstRecordedDay
      : trend.since;
  const byDay = new Map(trend.days.map((day) => [day.day, day]));
  const days: string[] = [];
  const first = Date.parse(`${start}T00:00:00Z`);
  const last = Date.parse(`${trend.until}T00:00:00Z`);
  for (let at = first; at <= last && days.length < maxAxisDays; at += dayMs)
    days.push(new Date(at).toISOString().slice(0, 10));
  return { days, recorded: days.map((day) => byDay.get(day)) };
}

const shortDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const longDay = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** `2025-03-01` as the locale names it: `Mar 1` on the axis, `Mar 1, 2025` in text. */
export function dayLabel(day: string, style: 'short' | 'long' = 'short'): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return (style === 'short' ? shortDay : longDay).format(date);
}
