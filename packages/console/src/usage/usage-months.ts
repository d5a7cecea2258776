/**
 * The months the usage page shows. Metering counts UTC calendar months (`YYYY-MM`, server
 * metering/pricing.ts), so the months here are UTC months too, whatever the browser's zone.
 */

/** How far back the page can look, in months (the current one included). */
export const usageMonthSpans = [6, 12, 24] as const;
export type UsageMonthSpan = (typeof usageMonthSpans)[number];

/** The `count` UTC months up to and including the one of `now`, oldest first. */
export function recentMonths(count: number, now: Date = new Date()): readonly string[] {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const months: string[] = [];
  for (let back = count - 1; back >= 0; back -= 1) {
    const date = new Date(Date.UTC(year, month - back, 1));
    months.push(`${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return months;
}

const shortLabel = new Intl.DateTimeFormat(undefined, { month: 'short', year: '2-digit', timeZone: 'UTC' });
const longLabel = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** `2025-03` as the locale names it: `Mar 25` for chart axes, `March 2025` for text. */
export function monthLabel(month: string, style: 'short' | 'long' = 'long'): string {
  const [year, number] = month.split('-').map(Number);
  if (year === undefined || number === undefined || Number.isNaN(year) || Number.isNaN(number)) return month;
  const date = new Date(Date.UTC(year, number - 1, 1));
  return (style === 'short' ? shortLabel : longLabel).format(date);
}
