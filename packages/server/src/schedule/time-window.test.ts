import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addLocalDays,
  isInsideWindow,
  localDate,
  localDaysBetween,
  nextWindowStart,
  occurrenceOn,
  parseDailyWindow,
  TimeWindowError,
  windowContaining,
  type DailyWindow,
  type WindowOccurrence,
} from './time-window.ts';

const at = (iso: string): Date => new Date(iso);
const span = (occurrence: WindowOccurrence | undefined): string | undefined =>
  occurrence && `${occurrence.start.toISOString()}/${occurrence.end.toISOString()}`;
const throwsCode = (fn: () => unknown, code: string): void => {
  assert.throws(fn, (error: unknown) => error instanceof TimeWindowError && error.code === code);
};

describe('parseDailyWindow', () => {
  it('accepts HH:MM times, 24:00 as an end, and IANA zones', () => {
    assert.deepEqual(parseDailyWindow({ start: '00:00', end: '07:00', timeZone: 'Asia/Shanghai' }), {
      start: '00:00',
      end: '07:00',
      timeZone: 'Asia/Shanghai',
    });
    parseDailyWindow({ start: '23:59', end: '24:00', timeZone: 'UTC' });
    parseDailyWindow({ start: '22:00', end: '06:00', timeZone: 'Pacific/Chatham' });
  });
  it('refuses malformed times with invalid_time', () => {
    for (const [start, end] of [
      ['24:00', '07:00'],
      ['7:00', '08:00'],
      ['00:60', '07:00'],
      ['00:00', '24:01'],
      ['00:00', '25:00'],
      ['00:00', ' 07:00'],
      ['', '07:00'],
    ] as const) {
      throwsCode(() => parseDailyWindow({ start, end, timeZone: 'UTC' }), 'invalid_time');
    }
  });
  it('refuses unknown time zones with invalid_time_zone', () => {
    throwsCode(
      () => parseDailyWindow({ start: '00:00', end: '07:00', timeZone: 'Mars/Olympus_Mons' }),
      'invalid_time_zone',
    );
    throwsCode(() => parseDailyWindow({ start: '00:00', end: '07:00', timeZone: '' }), 'invalid_time_zone');
    throwsCode(() => localDate(at('2026-01-01T00:00:00Z'), 'Nowhere'), 'invalid_time_zone');
    throwsCode(
      () => isInsideWindow({ start: '00:00', end: '07:00', timeZone: 'Nowhere' }, new Date()),
      'invalid_time_zone',
    );
  });
  it('refuses invalid instants and dates', () => {
    throwsCode(
      () => isInsideWindow({ start: '00:00', end: '07:00', timeZone: 'UTC' }, new Date(Number.NaN)),
      'invalid_instant',
    );
    throwsCode(
      () => occurrenceOn({ start: '00:00', end: '07:00', timeZone: 'UTC' }, '2026-02-30'),
      'invalid_date',
    );
    throwsCode(() => addLocalDays('2026-1-01', 1), 'invalid_date');
  });
});

describe('windows in UTC', () => {
  const window: DailyWindow = { start: '00:00', end: '07:00', timeZone: 'UTC' };
  it('contains its start and not its end', () => {
    assert.equal(isInsideWindow(window, at('2026-06-01T00:00:00Z')), true);
    assert.equal(isInsideWindow(window, at('2026-06-01T06:59:59.999Z')), true);
    assert.equal(isInsideWindow(window, at('2026-06-01T07:00:00Z')), false);
    assert.equal(isInsideWindow(window, at('2026-05-31T23:59:59.999Z')), false);
    assert.equal(
      span(windowContaining(window, at('2026-06-01T03:00:00Z'))),
      '2026-06-01T00:00:00.000Z/2026-06-01T07:00:00.000Z',
    );
  });
  it('finds the next start strictly after the given instant', () => {
    assert.equal(
      nextWindowStart(window, at('2026-06-01T08:00:00Z')).toISOString(),
      '2026-06-02T00:00:00.000Z',
    );
    assert.equal(
      nextWindowStart(window, at('2026-06-01T00:00:00Z')).toISOString(),
      '2026-06-02T00:00:00.000Z',
    );
    assert.equal(
      nextWindowStart(window, at('2026-05-31T23:59:59Z')).toISOString(),
      '2026-06-01T00:00:00.000Z',
    );
  });
  it('treats start === end as the whole day, anchored at its start', () => {
    const allDay: DailyWindow = { start: '08:00', end: '08:00', timeZone: 'UTC' };
    assert.equal(
      span(windowContaining(allDay, at('2026-06-01T07:59:00Z'))),
      '2026-05-31T08:00:00.000Z/2026-06-01T08:00:00.000Z',
    );
    assert.equal(
      span(windowContaining(allDay, at('2026-06-01T08:00:00Z'))),
      '2026-06-01T08:00:00.000Z/2026-06-02T08:00:00.000Z',
    );
    const midnightToMidnight: DailyWindow = { start: '00:00', end: '24:00', timeZone: 'UTC' };
    assert.equal(
      span(occurrenceOn(midnightToMidnight, '2026-06-01')),
      '2026-06-01T00:00:00.000Z/2026-06-02T00:00:00.000Z',
    );
  });
  it('crosses midnight when end is before start', () => {
    const night: DailyWindow = { start: '22:00', end: '06:00', timeZone: 'UTC' };
    assert.equal(
      span(windowContaining(night, at('2026-06-01T23:00:00Z'))),
      '2026-06-01T22:00:00.000Z/2026-06-02T06:00:00.000Z',
    );
    assert.equal(
      span(windowContaining(night, at('2026-06-02T05:00:00Z'))),
      '2026-06-01T22:00:00.000Z/2026-06-02T06:00:00.000Z',
    );
    assert.equal(isInsideWindow(night, at('2026-06-02T06:00:00Z')), false);
    assert.equal(isInsideWindow(night, at('2026-06-02T12:00:00Z')), false);
  });
});

describe('windows in zones with odd offsets', () => {
  it('Asia/Kolkata (+05:30)', () => {
    const window: DailyWindow = { start: '00:00', end: '07:00', timeZone: 'Asia/Kolkata' };
    assert.equal(
      span(occurrenceOn(window, '2026-05-01')),
      '2026-04-30T18:30:00.000Z/2026-05-01T01:30:00.000Z',
    );
    assert.equal(isInsideWindow(window, at('2026-04-30T18:29:59Z')), false);
    assert.equal(isInsideWindow(window, at('2026-04-30T18:30:00Z')), true);
    assert.equal(localDate(at('2026-04-30T18:29:59.999Z'), 'Asia/Kolkata'), '2026-04-30');
    assert.equal(localDate(at('2026-04-30T18:30:00Z'), 'Asia/Kolkata'), '2026-05-01');
  });
  it('Pacific/Chatham (+12:45 standard, +13:45 summer)', () => {
    const window: DailyWindow = { start: '09:00', end: '17:00', timeZone: 'Pacific/Chatham' };
    assert.equal(
      span(occurrenceOn(window, '2026-07-01')),
      '2026-06-30T20:15:00.000Z/2026-07-01T04:15:00.000Z',
    );
    assert.equal(
      span(occurrenceOn(window, '2026-01-15')),
      '2026-01-14T19:15:00.000Z/2026-01-15T03:15:00.000Z',
    );
    // Clocks go from 02:45 to 03:45 on 2026-09-27: 03:00 does not exist and starts at 03:45.
    const gap: DailyWindow = { start: '03:00', end: '04:00', timeZone: 'Pacific/Chatham' };
    assert.equal(span(occurrenceOn(gap, '2026-09-27')), '2026-09-26T14:00:00.000Z/2026-09-26T14:15:00.000Z');
    // Clocks go from 03:45 back to 02:45 on 2026-04-05: 03:00 happens twice; the first one counts.
    const repeated: DailyWindow = { start: '02:00', end: '03:00', timeZone: 'Pacific/Chatham' };
    assert.equal(
      span(occurrenceOn(repeated, '2026-04-05')),
      '2026-04-04T12:15:00.000Z/2026-04-04T13:15:00.000Z',
    );
  });
});

describe('daylight-saving changes in Europe/Berlin', () => {
  const twoToThree: DailyWindow = { start: '02:00', end: '03:00', timeZone: 'Europe/Berlin' };
  it('spring forward (2026-03-29, 02:00 CET → 03:00 CEST): a window inside the gap is empty that day', () => {
    assert.equal(occurrenceOn(twoToThree, '2026-03-29'), undefined);
    assert.equal(
      span(occurrenceOn(twoToThree, '2026-03-28')),
      '2026-03-28T01:00:00.000Z/2026-03-28T02:00:00.000Z',
    );
    for (const instant of ['2026-03-29T00:59:59Z', '2026-03-29T01:00:00Z', '2026-03-29T01:30:00Z']) {
      assert.equal(isInsideWindow(twoToThree, at(instant)), false, instant);
    }
    assert.equal(
      nextWindowStart(twoToThree, at('2026-03-28T02:00:00Z')).toISOString(),
      '2026-03-30T00:00:00.000Z',
    );
  });
  it('spring forward: a start inside the gap moves to the first instant after it', () => {
    const window: DailyWindow = { start: '02:30', end: '04:00', timeZone: 'Europe/Berlin' };
    assert.equal(
      span(occurrenceOn(window, '2026-03-29')),
      '2026-03-29T01:00:00.000Z/2026-03-29T02:00:00.000Z',
    );
    const endInGap: DailyWindow = { start: '01:30', end: '02:30', timeZone: 'Europe/Berlin' };
    assert.equal(
      span(occurrenceOn(endInGap, '2026-03-29')),
      '2026-03-29T00:30:00.000Z/2026-03-29T01:00:00.000Z',
    );
  });
  it('fall back (2026-10-25, 03:00 CEST → 02:00 CET): 02:00 is its first occurrence, so the window lasts two hours', () => {
    assert.equal(
      span(occurrenceOn(twoToThree, '2026-10-25')),
      '2026-10-25T00:00:00.000Z/2026-10-25T02:00:00.000Z',
    );
    assert.equal(isInsideWindow(twoToThree, at('2026-10-25T00:30:00Z')), true); // 02:30 CEST
    assert.equal(isInsideWindow(twoToThree, at('2026-10-25T01:30:00Z')), true); // 02:30 CET
    assert.equal(isInsideWindow(twoToThree, at('2026-10-25T02:00:00Z')), false); // 03:00 CET
    assert.equal(localDaysBetween('2026-10-24', localDate(at('2026-10-25T01:30:00Z'), 'Europe/Berlin')), 1);
  });
  it('a whole-day window lasts 23 and 25 hours on those days', () => {
    const allDay: DailyWindow = { start: '00:00', end: '00:00', timeZone: 'Europe/Berlin' };
    const hours = (occurrence: WindowOccurrence | undefined): number =>
      occurrence ? (occurrence.end.getTime() - occurrence.start.getTime()) / 3_600_000 : 0;
    assert.equal(hours(occurrenceOn(allDay, '2026-03-29')), 23);
    assert.equal(hours(occurrenceOn(allDay, '2026-10-25')), 25);
    assert.equal(hours(occurrenceOn(allDay, '2026-07-01')), 24);
  });
});

describe('midnight-crossing windows in America/Los_Angeles', () => {
  const night: DailyWindow = { start: '22:00', end: '06:00', timeZone: 'America/Los_Angeles' };
  it('spans the spring-forward night in 7 hours and the fall-back night in 9', () => {
    assert.equal(
      span(occurrenceOn(night, '2026-03-07')),
      '2026-03-08T06:00:00.000Z/2026-03-08T13:00:00.000Z',
    );
    assert.equal(
      span(occurrenceOn(night, '2026-10-31')),
      '2026-11-01T05:00:00.000Z/2026-11-01T14:00:00.000Z',
    );
  });
  it('finds the occurrence from either side of midnight', () => {
    const expected = '2026-01-15T06:00:00.000Z/2026-01-15T14:00:00.000Z';
    assert.equal(span(windowContaining(night, at('2026-01-15T07:00:00Z'))), expected); // 23:00 on the 14th
    assert.equal(span(windowContaining(night, at('2026-01-15T13:59:59Z'))), expected); // 05:59 on the 15th
    assert.equal(windowContaining(night, at('2026-01-15T14:00:00Z')), undefined);
    assert.equal(
      nextWindowStart(night, at('2026-01-15T07:00:00Z')).toISOString(),
      '2026-01-16T06:00:00.000Z',
    );
  });
});

describe('local calendar arithmetic', () => {
  it('adds and counts days across months, years and leap days', () => {
    assert.equal(addLocalDays('2028-02-28', 1), '2028-02-29');
    assert.equal(addLocalDays('2026-12-31', 1), '2027-01-01');
    assert.equal(addLocalDays('2026-03-01', -1), '2026-02-28');
    assert.equal(localDaysBetween('2026-01-01', '2027-01-01'), 365);
    assert.equal(localDaysBetween('2026-01-04', '2026-01-01'), -3);
  });
});

describe('properties', () => {
  const zones = [
    'UTC',
    'Europe/Berlin',
    'America/Los_Angeles',
    'Asia/Kolkata',
    'Pacific/Chatham',
    'Australia/Lord_Howe',
    'America/Santiago',
  ];
  const time = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45, 59))
    .map(([hour, minute]) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`);
  const windowArb = fc.record({
    start: time,
    end: fc.oneof(time, fc.constant('24:00')),
    timeZone: fc.constantFrom(...zones),
  });
  const instant = fc.date({
    min: at('2025-01-01T00:00:00Z'),
    max: at('2027-12-31T00:00:00Z'),
    noInvalidDate: true,
  });

  it('an occurrence containing an instant starts at or before it and ends after it', () => {
    fc.assert(
      fc.property(windowArb, instant, (window, moment) => {
        const occurrence = windowContaining(window, moment);
        assert.equal(isInsideWindow(window, moment), occurrence !== undefined);
        if (occurrence) {
          assert.ok(occurrence.start <= moment && moment < occurrence.end);
          assert.equal(span(windowContaining(window, occurrence.start)), span(occurrence));
        }
      }),
      { numRuns: 150 },
    );
  });
  it('the next start lies after the instant, opens an occurrence, and nothing opens in between', () => {
    fc.assert(
      fc.property(windowArb, instant, (window, moment) => {
        const next = nextWindowStart(window, moment);
        assert.ok(next > moment);
        assert.equal(windowContaining(window, next)?.start.getTime(), next.getTime());
        const justBefore = windowContaining(window, new Date(next.getTime() - 1));
        if (justBefore) assert.ok(justBefore.start <= moment);
      }),
      { numRuns: 150 },
    );
  });
});
