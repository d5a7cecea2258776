const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An API instant in the browser's locale and time zone; `fallback` for null (never happened). */
export function formatTime(value: string | null | undefined, fallback = '—'): string {
  if (!value) return fallback;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTime.format(date);
}

/** A count with the locale's grouping (`12,345`). */
export function formatCount(value: number): string {
  return value.toLocaleString();
}
