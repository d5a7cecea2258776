import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  dueRun,
  nextRunAt,
  PolicyScheduleError,
  updatedWithinCutoff,
  validatePolicySchedule,
  type PolicySchedule,
  type PolicyScheduleErrorCode,
} from './policy-due.ts';
import { localDate } from './time-window.ts';

const at = (iso: string): Date => new Date(iso);
const isPolicyError =
  (code: PolicyScheduleErrorCode) =>
  (error: unknown): boolean =>
    error instanceof PolicyScheduleError && error.code === code;

/** Asia/Shanghai is UTC+8 all year: local 00:00 on day D is 16:00 UTC on day D-1. */
const everyThreeDays: PolicySchedule = {
  enabled: true,
  periodDays: 3,
  window: { start: '00:00', end: '07:00', timeZone: 'Asia/Shanghai' },
};

/**
 * Steps a clock through `[from, to)` and records the start of every run the policy would create,
 * the way the scheduler stores the returned occurrence's start as the last run.
 */
function simulate(schedule: PolicySchedule, from: Date, to: Date, stepMinutes: number): Date[] {
  const runs: Date[] = [];
  let last: Date | null = null;
  for (let time = from.getTime(); time < to.getTime(); time += stepMinutes * 60_000) {
    const due = dueRun(schedule, last, new Date(time));
    if (due) {
      runs.push(due.start);
      last = due.start;
    }
  }
  return runs;
}

describe('dueRun', () => {
  it('every 3 days, 00:00–07:00 Asia/Shanghai: day 1 at 00:00, not on days 2 and 3, again on day 4', () => {
    const day1 = dueRun(everyThreeDays, null, at('2026-05-31T16:00:00Z'));
    assert.equal(day1?.start.toISOString(), '2026-05-31T16:00:00.000Z');
    assert.equal(day1?.end.toISOString(), '2026-05-31T23:00:00.000Z');
    const last = day1?.start ?? null;
    assert.equal(dueRun(everyThreeDays, last, at('2026-06-01T16:00:00Z')), undefined); // day 2, 00:00
    assert.equal(dueRun(everyThreeDays, last, at('2026-06-02T20:00:00Z')), undefined); // day 3, 04:00
    assert.equal(
      dueRun(everyThreeDays, last, at('2026-06-03T16:00:00Z'))?.start.toISOString(),
      '2026-06-03T16:00:00.000Z',
    );
  });

  it('is undefined outside the window, even when a run is owed', () => {
    assert.equal(dueRun(everyThreeDays, null, at('2026-05-31T23:00:00Z')), undefined); // 07:00 local
    assert.equal(dueRun(everyThreeDays, at('2026-05-31T16:00:00Z'), at('2026-06-04T04:00:00Z')), undefined);
  });

  it('never returns the same occurrence twice: a restart mid-window starts nothing', () => {
    const first = dueRun(everyThreeDays, null, at('2026-05-31T17:00:00Z'));
    assert.ok(first);
    assert.equal(dueRun(everyThreeDays, first.start, at('2026-05-31T17:00:00Z')), undefined);
    assert.equal(dueRun(everyThreeDays, first.start, at('2026-05-31T22:59:59Z')), undefined);
  });

  it('runs in the first window after being enabled, even late in that window', () => {
    assert.equal(
      dueRun(everyThreeDays, null, at('2026-05-31T22:59:00Z'))?.start.toISOString(),
      '2026-05-31T16:00:00.000Z',
    );
  });

  it('catches up in the next window when the due one was missed', () => {
    const last = at('2026-05-31T16:00:00Z');
    // Day 4's window passed while the service was down; day 5's window runs.
    assert.equal(
      dueRun(everyThreeDays, last, at('2026-06-04T18:00:00Z'))?.start.toISOString(),
      '2026-06-04T16:00:00.000Z',
    );
  });

  it('does nothing when disabled', () => {
    assert.equal(dueRun({ ...everyThreeDays, enabled: false }, null, at('2026-05-31T16:00:00Z')), undefined);
  });

  it('a month of ticks runs exactly on days 1, 4, 7, … at the window start', () => {
    const runs = simulate(everyThreeDays, at('2026-05-31T16:00:00Z'), at('2026-06-30T16:00:00Z'), 30);
    assert.deepEqual(
      runs.map((run) => localDate(run, 'Asia/Shanghai')),
      ['01', '04', '07', '10', '13', '16', '19', '22', '25', '28'].map((day) => `2026-06-${day}`),
    );
    assert.ok(runs.every((run) => run.getUTCHours() === 16 && run.getUTCMinutes() === 0));
  });

  it('a daily 02:00–03:00 policy in Europe/Berlin skips the spring-forward day and runs twice as long on the fall-back day', () => {
    const daily: PolicySchedule = {
      enabled: true,
      periodDays: 1,
      window: { start: '02:00', end: '03:00', timeZone: 'Europe/Berlin' },
    };
    const spring = simulate(daily, at('2026-03-27T00:00:00Z'), at('2026-03-31T00:00:00Z'), 15).map((run) =>
      run.toISOString(),
    );
    assert.deepEqual(spring, [
      '2026-03-27T01:00:00.000Z',
      '2026-03-28T01:00:00.000Z',
      '2026-03-30T00:00:00.000Z',
    ]);
    const autumn = simulate(daily, at('2026-10-24T00:00:00Z'), at('2026-10-26T12:00:00Z'), 15).map((run) =>
      run.toISOString(),
    );
    assert.deepEqual(autumn, [
      '2026-10-24T00:00:00.000Z',
      '2026-10-25T00:00:00.000Z',
      '2026-10-26T01:00:00.000Z',
    ]);
    // Started late on the fall-back day, in the repeated 02:30 (CET), the run still belongs to that day's window.
    assert.equal(
      dueRun(daily, at('2026-10-24T00:00:00Z'), at('2026-10-25T01:30:00Z'))?.start.toISOString(),
      '2026-10-25T00:00:00.000Z',
    );
  });

  it('counts local dates of the window start for midnight-crossing windows', () => {
    const nightly: PolicySchedule = {
      enabled: true,
      periodDays: 2,
      window: { start: '22:00', end: '06:00', timeZone: 'America/Los_Angeles' },
    };
    const runs = simulate(nightly, at('2026-03-05T00:00:00Z'), at('2026-03-12T00:00:00Z'), 30).map((run) =>
      run.toISOString(),
    );
    // 22:00 PST on the 4th, 6th; 22:00 PDT on the 8th (clocks went forward that morning) and 10th.
    assert.deepEqual(runs, [
      '2026-03-05T06:00:00.000Z',
      '2026-03-07T06:00:00.000Z',
      '2026-03-09T05:00:00.000Z',
      '2026-03-11T05:00:00.000Z',
    ]);
  });
});

describe('nextRunAt', () => {
  const last = at('2026-05-31T16:00:00Z');
  it('is now while a run is due', () => {
    const now = at('2026-06-03T17:00:00Z');
    assert.equal(nextRunAt(everyThreeDays, last, now), now);
    assert.equal(
      nextRunAt(everyThreeDays, null, at('2026-05-31T17:00:00Z'))?.toISOString(),
      '2026-05-31T17:00:00.000Z',
    );
  });
  it('is the start of the eligible window after the last run', () => {
    assert.equal(
      nextRunAt(everyThreeDays, last, at('2026-05-31T17:00:00Z'))?.toISOString(),
      '2026-06-03T16:00:00.000Z',
    );
    assert.equal(
      nextRunAt(everyThreeDays, last, at('2026-06-01T12:00:00Z'))?.toISOString(),
      '2026-06-03T16:00:00.000Z',
    );
    assert.equal(
      nextRunAt(everyThreeDays, last, at('2026-06-04T00:00:00Z'))?.toISOString(),
      '2026-06-04T16:00:00.000Z',
    );
    assert.equal(
      nextRunAt(everyThreeDays, null, at('2026-06-01T08:00:00Z'))?.toISOString(),
      '2026-06-01T16:00:00.000Z',
    );
  });
  it('skips a window that a daylight-saving gap swallows', () => {
    const daily: PolicySchedule = {
      enabled: true,
      periodDays: 1,
      window: { start: '02:00', end: '03:00', timeZone: 'Europe/Berlin' },
    };
    assert.equal(
      nextRunAt(daily, at('2026-03-28T01:00:00Z'), at('2026-03-28T01:30:00Z'))?.toISOString(),
      '2026-03-30T00:00:00.000Z',
    );
  });
  it('is undefined when disabled', () => {
    assert.equal(
      nextRunAt({ ...everyThreeDays, enabled: false }, last, at('2026-06-03T17:00:00Z')),
      undefined,
    );
  });
  it('agrees with the first run a simulation finds', () => {
    const from = at('2026-06-01T09:13:00Z');
    const predicted = nextRunAt(everyThreeDays, last, from);
    let time = from.getTime();
    while (!dueRun(everyThreeDays, last, new Date(time))) time += 60 * 60_000;
    assert.equal(predicted?.getTime(), dueRun(everyThreeDays, last, new Date(time))?.start.getTime());
  });
});

describe('validatePolicySchedule', () => {
  it('accepts periods of 1 to 30 days', () => {
    for (const periodDays of [1, 3, 7, 14, 30]) validatePolicySchedule({ ...everyThreeDays, periodDays });
  });
  it('refuses other periods with invalid_period', () => {
    for (const periodDays of [0, 31, 1.5, -3, Number.NaN]) {
      assert.throws(
        () => validatePolicySchedule({ ...everyThreeDays, periodDays }),
        isPolicyError('invalid_period'),
      );
      assert.throws(
        () => dueRun({ ...everyThreeDays, periodDays }, null, new Date()),
        isPolicyError('invalid_period'),
      );
    }
  });
  it('refuses a bad window with invalid_window and the window error as reason', () => {
    assert.throws(
      () =>
        validatePolicySchedule({
          ...everyThreeDays,
          window: { start: '25:00', end: '07:00', timeZone: 'UTC' },
        }),
      (error: unknown) =>
        isPolicyError('invalid_window')(error) &&
        (error as PolicyScheduleError).details.reason === 'invalid_time',
    );
    assert.throws(
      () =>
        validatePolicySchedule({
          ...everyThreeDays,
          window: { start: '00:00', end: '07:00', timeZone: 'Atlantis/Capital' },
        }),
      (error: unknown) =>
        isPolicyError('invalid_window')(error) &&
        (error as PolicyScheduleError).details.reason === 'invalid_time_zone',
    );
  });
});

describe('updatedWithinCutoff', () => {
  const now = at('2026-06-15T12:00:00Z');
  it('is undefined (all images) for 0 and N×24 hours before now otherwise', () => {
    assert.equal(updatedWithinCutoff(0, now), undefined);
    assert.equal(updatedWithinCutoff(1, now)?.toISOString(), '2026-06-14T12:00:00.000Z');
    assert.equal(updatedWithinCutoff(30, now)?.toISOString(), '2026-05-16T12:00:00.000Z');
    assert.equal(updatedWithinCutoff(365, now)?.toISOString(), '2025-06-15T12:00:00.000Z');
    assert.equal(updatedWithinCutoff(12, now)?.toISOString(), '2026-06-03T12:00:00.000Z');
  });
  it('refuses values outside 0–365 whole days', () => {
    for (const days of [-1, 366, 2.5, Number.NaN]) {
      assert.throws(() => updatedWithinCutoff(days, now), isPolicyError('invalid_updated_within'));
    }
  });
});
