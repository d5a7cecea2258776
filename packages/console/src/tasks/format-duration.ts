/**
 * A duration for people, to the two largest units (`45 s`, `3 min`, `2 h 5 min`, `3 d 4 h`): the
 * remaining-time estimate is rough, so seconds are dropped once it is over a minute.
 */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** The time between two API instants, or undefined when either is missing. */
export function durationBetween(start: string, end: string | null): number | undefined {
  if (end === null) return undefined;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isNaN(ms) ? undefined : ms;
}
