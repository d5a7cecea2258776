/**
 * A daily time window in an IANA time zone (PRODUCT.md section 5: "image scans start only inside
 * the window", default 00:00–07:00 in the project's time zone), and the calendar arithmetic that
 * schedules need. Time zones are read from the runtime's ICU data through `Intl.DateTimeFormat`, so
 * no time-zone library or bundled database goes stale beside Node's own.
 *
 * One occurrence of a window belongs to one local date D (its anchor):
 * - `start < end`: from D at `start` to D at `end` (`end` may be `24:00`, the next midnight);
 * - `end < start`: the window crosses midnight, from D at `start` to D+1 at `end` (22:00–06:00);
 * - `start === end`: the whole day, from D at `start` to D+1 at `start`.
 * Occurrences are half-open `[start, end)` in UTC instants and never overlap.
 *
 * Daylight-saving changes: a wall time that does not exist (the hour skipped when clocks go forward)
 * maps to the first instant after the gap, and a wall time that exists twice (the hour repeated when
 * clocks go back) maps to its first occurrence. So on the day Europe/Berlin springs forward, a
 * 02:30–04:00 window runs from 03:00 CEST to 04:00, and a 02:00–03:00 window is empty that day (it
 * has no occurrence; the next one is the following day's); on the day it falls back, 02:00–03:00
 * runs from the first 02:00 (CEST) to 03:00 CET, two hours.
 */

const minuteMs = 60_000;
const dayMs = 86_400_000;
const minutesPerDay = 1440;

export const timeWindowErrorCodes = [
  'invalid_time',
  'invalid_time_zone',
  'invalid_date',
  'invalid_instant',
] as const;
export type TimeWindowErrorCode = (typeof timeWindowErrorCodes)[number];

export class TimeWindowError extends Error {
  readonly code: TimeWindowErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(
    code: TimeWindowErrorCode,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TimeWindowError';
    this.code = code;
    this.details = details;
  }
}

export interface DailyWindow {
  /** `HH:MM`, 00:00–23:59, local time in `timeZone`. */
  readonly start: string;
  /** `HH:MM`, 00:00–23:59 or `24:00`; before `start` = crosses midnight; equal to `start` = all day. */
  readonly end: string;
  /** An IANA time zone name such as `Europe/Berlin` or `UTC`. */
  readonly timeZone: string;
}

/** One occurrence of a window: UTC instants, `start` inclusive, `end` exclusive. */
export interface WindowOccurrence {
  readonly start: Date;
  readonly end: Date;
}

const timePattern = /^([01]\d|2[0-3]):([0-5]\d)$/;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Validates a window (as entered by a user or read from the database) and returns it unchanged in
 * shape; throws `invalid_time` or `invalid_time_zone`.
 */
export function parseDailyWindow(input: {
  readonly start: string;
  readonly end: string;
  readonly timeZone: string;
}): DailyWindow {
  compile(input);
  return { start: input.start, end: input.end, timeZone: input.timeZone };
}

/** True when `at` falls inside an occurrence of the window. */
export function isInsideWindow(window: DailyWindow, at: Date): boolean {
  return windowContaining(window, at) !== undefined;
}

/** The occurrence that contains `at`, or undefined when `at` is outside the window. */
export function windowContaining(window: DailyWindow, at: Date): WindowOccurrence | undefined {
  const compiled = compile(window);
  const instant = instantOf(at);
  const today = Math.floor(compiled.zone.wallAt(instant) / dayMs);
  // An occurrence ends at most one local day after its anchor, so yesterday's and today's are the
  // only ones that can hold `at`; tomorrow's is looked at too for zones that repeat an hour at midnight.
  for (const day of [today - 1, today, today + 1]) {
    const occurrence = occurrenceAnchoredAt(compiled, day);
    if (occurrence && occurrence.start.getTime() <= instant && instant < occurrence.end.getTime())
      return occurrence;
  }
  return undefined;
}

/**
 * The start of the first occurrence that starts strictly after `after` (an occurrence starting at
 * `after` itself is current, not next). Empty occurrences (see the DST note above) are skipped.
 */
export function nextWindowStart(window: DailyWindow, after: Date): Date {
  const compiled = compile(window);
  const instant = instantOf(after);
  const today = Math.floor(compiled.zone.wallAt(instant) / dayMs);
  // Starts grow with the anchor day; at most one day in a row can be empty, so a few days suffice.
  for (let day = today - 1; day <= today + 7; day++) {
    const occurrence = occurrenceAnchoredAt(compiled, day);
    if (occurrence && occurrence.start.getTime() > instant) return occurrence.start;
  }
  // Only a broken time-zone database could swallow a whole week of occurrences.
  throw new TimeWindowError('invalid_time_zone', 'the time zone has no window start within a week', {
    timeZone: window.timeZone,
  });
}

/**
 * The occurrence anchored on the local date `date` (`YYYY-MM-DD`), or undefined when that day's
 * occurrence is empty because a daylight-saving gap swallows it.
 */
export function occurrenceOn(window: DailyWindow, date: string): WindowOccurrence | undefined {
  return occurrenceAnchoredAt(compile(window), dayNumber(date));
}

/** The calendar date (`YYYY-MM-DD`) at `at` in `timeZone`. */
export function localDate(at: Date, timeZone: string): string {
  const wall = new ZoneClock(timeZone).wallAt(instantOf(at));
  return formatDay(Math.floor(wall / dayMs));
}

/** `date` (`YYYY-MM-DD`) moved by `days` calendar days. */
export function addLocalDays(date: string, days: number): string {
  return formatDay(dayNumber(date) + days);
}

/** Calendar days from `from` to `to` (both `YYYY-MM-DD`); negative when `to` is earlier. */
export function localDaysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

interface CompiledWindow {
  readonly startMinute: number;
  readonly endMinute: number;
  readonly zone: ZoneClock;
}

function compile(window: DailyWindow): CompiledWindow {
  const startMinute = parseTime(window.start, false, 'start');
  const endMinute = parseTime(window.end, true, 'end');
  return { startMinute, endMinute, zone: new ZoneClock(window.timeZone) };
}

function parseTime(value: string, allowEndOfDay: boolean, field: 'start' | 'end'): number {
  if (allowEndOfDay && value === '24:00') return minutesPerDay;
  const match = typeof value === 'string' ? timePattern.exec(value) : null;
  if (!match) {
    const expected = allowEndOfDay ? 'HH:MM from 00:00 to 24:00' : 'HH:MM from 00:00 to 23:59';
    throw new TimeWindowError('invalid_time', `the window ${field} must be ${expected}`, { field, value });
  }
  return Number(match[1]) * 60 + Number(match[2]);
}

function occurrenceAnchoredAt(window: CompiledWindow, day: number): WindowOccurrence | undefined {
  const midnight = day * dayMs;
  const crossesMidnight = window.endMinute <= window.startMinute;
  const start = window.zone.instantAtWall(midnight + window.startMinute * minuteMs);
  const end = window.zone.instantAtWall(
    midnight + window.endMinute * minuteMs + (crossesMidnight ? dayMs : 0),
  );
  return end > start ? { start: new Date(start), end: new Date(end) } : undefined;
}

function instantOf(at: Date): number {
  const instant = at instanceof Date ? at.getTime() : Number.NaN;
  if (Number.isNaN(instant)) throw new TimeWindowError('invalid_instant', 'the instant is not a valid date');
  return instant;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date; rejects dates that do not exist (2026-02-30). */
function dayNumber(date: string): number {
  const match = typeof date === 'string' ? datePattern.exec(date) : null;
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const epochMs = utcMs(year, month, day, 0, 0, 0);
    if (formatDay(epochMs / dayMs) === date) return epochMs / dayMs;
  }
  throw new TimeWindowError('invalid_date', 'the date must be an existing YYYY-MM-DD date', { date });
}

function formatDay(day: number): string {
  return new Date(day * dayMs).toISOString().slice(0, 10);
}

/** `Date.UTC` without its mapping of years 0–99 to 1900–1999. */
function utcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/**
 * Wall clock of one time zone. A wall time is written as the epoch milliseconds of a UTC clock that
 * shows the same reading, so local calendar arithmetic is plain integer arithmetic.
 */
class ZoneClock {
  readonly #format: Intl.DateTimeFormat;

  readonly timeZone: string;

  constructor(timeZone: string) {
    this.timeZone = timeZone;
    try {
      this.#format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        calendar: 'gregory',
        numberingSystem: 'latn',
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (cause) {
      throw new TimeWindowError(
        'invalid_time_zone',
        'the time zone is not a known IANA time zone',
        { timeZone },
        cause,
      );
    }
  }

  /** The wall-clock reading at `instant`. */
  wallAt(instant: number): number {
    const fields: Record<string, number> = {};
    for (const part of this.#format.formatToParts(new Date(instant))) {
      if (part.type !== 'literal') fields[part.type] = Number(part.value);
    }
    const wholeSeconds = utcMs(
      fields.year ?? 1970,
      fields.month ?? 1,
      fields.day ?? 1,
      fields.hour ?? 0,
      fields.minute ?? 0,
      fields.second ?? 0,
    );
    return wholeSeconds + (((instant % 1000) + 1000) % 1000);
  }

  /**
   * The instant at which the wall clock reads `wall`: the earlier one when the reading happens twice,
   * the first instant after the gap when it never happens.
   */
  instantAtWall(wall: number): number {
    // Offsets in force around that wall time; a transition changes the offset at most once in a day.
    const offsets = new Set([wall - dayMs, wall, wall + dayMs].map((probe) => this.wallAt(probe) - probe));
    const candidates = [...offsets].map((offset) => wall - offset).sort((a, b) => a - b);
    const exact = candidates.find((instant) => this.wallAt(instant) === wall);
    if (exact !== undefined) return exact;
    // In a gap the clock reads less than `wall` before the transition and more after it: search for
    // the transition, the first instant whose reading reaches `wall`.
    let low = candidates[0] ?? wall;
    let high = candidates[candidates.length - 1] ?? wall;
    while (high - low > 1) {
      const middle = low + Math.floor((high - low) / 2);
      if (this.wallAt(middle) >= wall) high = middle;
      else low = middle;
    }
    return high;
  }
}
