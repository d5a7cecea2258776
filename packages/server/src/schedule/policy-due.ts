import {
  addLocalDays,
  localDate,
  localDaysBetween,
  occurrenceOn,
  parseDailyWindow,
  TimeWindowError,
  windowContaining,
  type DailyWindow,
  type WindowOccurrence,
} from './time-window.ts';

/**
 * When the scheduled scan policy of a project (PRODUCT.md section 5) starts a run. The rule is a
 * pure function of the policy, the start of the window occurrence of the last run, and the time, so
 * any number of service processes agree, and a restart in the middle of a window does not start the
 * same run twice (the caller stores the occurrence's start as the run's key).
 *
 * Rule: a policy runs in the first window occurrence whose start falls on a local date (in the
 * window's time zone) at least `periodDays` calendar days after the local date of the last run's
 * occurrence start. Counting calendar days rather than 24-hour periods keeps "every 3 days" on the
 * same wall-clock window across daylight-saving changes. A run missed while the service was down
 * happens in the next occurrence the service sees. The first run (no last run) happens in the first
 * occurrence that contains or follows the moment the policy is enabled.
 */

export const minPeriodDays = 1;
export const maxPeriodDays = 30;
export const periodDayPresets = [1, 3, 7, 14] as const;
export const maxUpdatedWithinDays = 365;
/** `0` means all images. */
export const updatedWithinDayPresets = [0, 1, 3, 7, 15, 30] as const;
/** The default window's times; its time zone is the project's. */
export const defaultWindowTimes = { start: '00:00', end: '07:00' } as const;

const dayMs = 86_400_000;

export const policyScheduleErrorCodes = [
  'invalid_period',
  'invalid_window',
  'invalid_updated_within',
] as const;
export type PolicyScheduleErrorCode = (typeof policyScheduleErrorCodes)[number];

export class PolicyScheduleError extends Error {
  readonly code: PolicyScheduleErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(
    code: PolicyScheduleErrorCode,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'PolicyScheduleError';
    this.code = code;
    this.details = details;
  }
}

export interface PolicySchedule {
  readonly enabled: boolean;
  /** Run every N days, 1–30. */
  readonly periodDays: number;
  /** Runs start only inside this window; its time zone is the project's. */
  readonly window: DailyWindow;
}

/**
 * Throws `invalid_period` for a period outside 1–30 whole days and `invalid_window` (with the time
 * window's own error code in `details.reason` and as `cause`) for a bad window; returns the schedule.
 */
export function validatePolicySchedule(schedule: PolicySchedule): PolicySchedule {
  const { periodDays } = schedule;
  if (!Number.isInteger(periodDays) || periodDays < minPeriodDays || periodDays > maxPeriodDays) {
    throw new PolicyScheduleError(
      'invalid_period',
      `the period must be a whole number of days from ${minPeriodDays} to ${maxPeriodDays}`,
      { periodDays },
    );
  }
  try {
    parseDailyWindow(schedule.window);
  } catch (error) {
    if (!(error instanceof TimeWindowError)) throw error;
    throw new PolicyScheduleError(
      'invalid_window',
      error.message,
      { reason: error.code, ...error.details },
      error,
    );
  }
  return schedule;
}

/**
 * The window occurrence in which a run must start at `now`, or undefined. It is returned while
 * `now` is inside an occurrence that the rule above selects and whose start is after
 * `lastRunWindowStart` (null = never run); the caller records that start as the new last run, so
 * the same occurrence is never returned twice.
 */
export function dueRun(
  schedule: PolicySchedule,
  lastRunWindowStart: Date | null,
  now: Date,
): WindowOccurrence | undefined {
  validatePolicySchedule(schedule);
  if (!schedule.enabled) return undefined;
  const occurrence = windowContaining(schedule.window, now);
  if (!occurrence || !isEligible(schedule, lastRunWindowStart, occurrence)) return undefined;
  return occurrence;
}

/**
 * When the next run will start, for display: `now` when a run is due now, else the start of the
 * next occurrence that the rule selects; undefined when the policy is disabled.
 */
export function nextRunAt(
  schedule: PolicySchedule,
  lastRunWindowStart: Date | null,
  now: Date,
): Date | undefined {
  if (dueRun(schedule, lastRunWindowStart, now)) return now;
  if (!schedule.enabled) return undefined;
  const { timeZone } = schedule.window;
  const yesterday = addLocalDays(localDate(now, timeZone), -1);
  const dayBeforeEligible =
    lastRunWindowStart === null
      ? yesterday
      : addLocalDays(localDate(lastRunWindowStart, timeZone), schedule.periodDays - 1);
  const firstDay = dayBeforeEligible > yesterday ? dayBeforeEligible : yesterday;
  // At most one day's occurrence can vanish in a daylight-saving gap, so a few days suffice.
  for (let offset = 0; offset < 7; offset++) {
    const occurrence = occurrenceOn(schedule.window, addLocalDays(firstDay, offset));
    if (occurrence && occurrence.start > now && isEligible(schedule, lastRunWindowStart, occurrence)) {
      return occurrence.start;
    }
  }
  return undefined;
}

/**
 * The image update time range of a policy: images pushed at or after the returned instant qualify;
 * undefined (all images) for 0. Days are 24-hour periods before `now`, not calendar days, because an
 * image's push time is an instant with no time zone of its own.
 */
export function updatedWithinCutoff(updatedWithinDays: number, now: Date): Date | undefined {
  if (
    !Number.isInteger(updatedWithinDays) ||
    updatedWithinDays < 0 ||
    updatedWithinDays > maxUpdatedWithinDays
  ) {
    throw new PolicyScheduleError(
      'invalid_updated_within',
      `the update time range must be a whole number of days from 0 to ${maxUpdatedWithinDays}`,
      { updatedWithinDays },
    );
  }
  if (updatedWithinDays === 0) return undefined;
  return new Date(now.getTime() - updatedWithinDays * dayMs);
}

function isEligible(
  schedule: PolicySchedule,
  lastRunWindowStart: Date | null,
  occurrence: WindowOccurrence,
): boolean {
  if (lastRunWindowStart === null) return true;
  if (occurrence.start.getTime() <= lastRunWindowStart.getTime()) return false;
  const { timeZone } = schedule.window;
  const days = localDaysBetween(
    localDate(lastRunWindowStart, timeZone),
    localDate(occurrence.start, timeZone),
  );
  return days >= schedule.periodDays;
}
