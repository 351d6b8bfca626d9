import { describe, expect, it } from 'vitest';
import {
  addLocalDays,
  isKnownTimeZone,
  localDateOf,
  localDateTimeOf,
  localWeekdayOf,
  offsetMsAt,
  weekdayOfLocalDate,
  zonedLocalToUtc,
} from '../../src/domain/local-time.js';

function at(date: string, time: string, timeZone: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return zonedLocalToUtc({ year, month, day }, { hour, minute }, timeZone).toISOString();
}

describe('zonedLocalToUtc on ordinary days', () => {
  it('reads a local time with the offset in force on that date', () => {
    expect(at('2026-01-15', '09:00', 'Europe/Dublin')).toBe('2026-01-15T09:00:00.000Z');
    expect(at('2026-07-15', '09:00', 'Europe/Dublin')).toBe('2026-07-15T08:00:00.000Z');
    expect(at('2026-01-15', '09:00', 'America/Los_Angeles')).toBe('2026-01-15T17:00:00.000Z');
    expect(at('2026-07-15', '09:00', 'America/Los_Angeles')).toBe('2026-07-15T16:00:00.000Z');
    expect(at('2026-01-15', '09:00', 'Australia/Sydney')).toBe('2026-01-14T22:00:00.000Z');
    expect(at('2026-07-15', '09:00', 'Australia/Sydney')).toBe('2026-07-14T23:00:00.000Z');
  });

  it('keeps Singapore at UTC+8 all year, having no daylight saving', () => {
    expect(at('2026-01-05', '09:00', 'Asia/Singapore')).toBe('2026-01-05T01:00:00.000Z');
    expect(at('2026-07-06', '09:00', 'Asia/Singapore')).toBe('2026-07-06T01:00:00.000Z');
    expect(at('2026-01-05', '00:00', 'Asia/Singapore')).toBe('2026-01-04T16:00:00.000Z');
  });

  it('handles the half-hour offset of Kolkata', () => {
    expect(at('2026-03-10', '09:00', 'Asia/Kolkata')).toBe('2026-03-10T03:30:00.000Z');
    expect(at('2026-03-10', '00:00', 'Asia/Kolkata')).toBe('2026-03-09T18:30:00.000Z');
    expect(at('2026-10-25', '18:00', 'Asia/Kolkata')).toBe('2026-10-25T12:30:00.000Z');
  });
});

describe('zonedLocalToUtc when the clocks spring forward', () => {
  it('moves a Dublin time inside the gap of 29 March forward by the gap', () => {
    // 01:00 GMT becomes 02:00 IST at 01:00 UTC; 01:30 does not exist and means 02:30 IST.
    expect(at('2026-03-29', '01:30', 'Europe/Dublin')).toBe('2026-03-29T01:30:00.000Z');
    expect(at('2026-03-29', '01:00', 'Europe/Dublin')).toBe('2026-03-29T01:00:00.000Z');
    expect(at('2026-03-29', '00:59', 'Europe/Dublin')).toBe('2026-03-29T00:59:00.000Z');
    expect(at('2026-03-29', '02:00', 'Europe/Dublin')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('moves a Los Angeles time inside the gap of 8 March forward by the gap', () => {
    expect(at('2026-03-08', '02:30', 'America/Los_Angeles')).toBe('2026-03-08T10:30:00.000Z');
    expect(at('2026-03-08', '02:00', 'America/Los_Angeles')).toBe('2026-03-08T10:00:00.000Z');
    expect(at('2026-03-08', '03:00', 'America/Los_Angeles')).toBe('2026-03-08T10:00:00.000Z');
    expect(at('2026-03-08', '01:59', 'America/Los_Angeles')).toBe('2026-03-08T09:59:00.000Z');
  });

  it('moves a Sydney time inside the gap of 4 October forward by the gap', () => {
    expect(at('2026-10-04', '02:30', 'Australia/Sydney')).toBe('2026-10-03T16:30:00.000Z');
    expect(at('2026-10-04', '03:00', 'Australia/Sydney')).toBe('2026-10-03T16:00:00.000Z');
  });
});

describe('zonedLocalToUtc when the clocks fall back', () => {
  it('takes the first of the two 01:30s in Dublin on 25 October', () => {
    expect(at('2026-10-25', '01:30', 'Europe/Dublin')).toBe('2026-10-25T00:30:00.000Z');
    expect(at('2026-10-25', '01:00', 'Europe/Dublin')).toBe('2026-10-25T00:00:00.000Z');
    expect(at('2026-10-25', '02:00', 'Europe/Dublin')).toBe('2026-10-25T02:00:00.000Z');
  });

  it('takes the first of the two 01:30s in Los Angeles on 1 November', () => {
    expect(at('2026-11-01', '01:30', 'America/Los_Angeles')).toBe('2026-11-01T08:30:00.000Z');
    expect(at('2026-11-01', '02:00', 'America/Los_Angeles')).toBe('2026-11-01T10:00:00.000Z');
  });

  it('takes the first of the two 02:30s in Sydney on 5 April', () => {
    expect(at('2026-04-05', '02:30', 'Australia/Sydney')).toBe('2026-04-04T15:30:00.000Z');
    expect(at('2026-04-05', '03:00', 'Australia/Sydney')).toBe('2026-04-04T17:00:00.000Z');
  });
});

describe('local date and time of an instant', () => {
  it('shows the wall clock on either side of the Dublin spring transition', () => {
    const before = localDateTimeOf(new Date('2026-03-29T00:59:00Z'), 'Europe/Dublin');
    const after = localDateTimeOf(new Date('2026-03-29T01:00:00Z'), 'Europe/Dublin');
    expect([before.hour, before.minute]).toEqual([0, 59]);
    expect([after.hour, after.minute]).toEqual([2, 0]);
  });

  it('switches offset at the exact second of each transition', () => {
    expect(offsetMsAt(new Date('2026-03-29T00:59:59Z'), 'Europe/Dublin')).toBe(0);
    expect(offsetMsAt(new Date('2026-03-29T01:00:00Z'), 'Europe/Dublin')).toBe(3_600_000);
    expect(offsetMsAt(new Date('2026-11-01T08:59:59Z'), 'America/Los_Angeles')).toBe(-7 * 3_600_000);
    expect(offsetMsAt(new Date('2026-11-01T09:00:00Z'), 'America/Los_Angeles')).toBe(-8 * 3_600_000);
    expect(offsetMsAt(new Date('2026-04-04T15:59:59Z'), 'Australia/Sydney')).toBe(11 * 3_600_000);
    expect(offsetMsAt(new Date('2026-04-04T16:00:00Z'), 'Australia/Sydney')).toBe(10 * 3_600_000);
    expect(offsetMsAt(new Date('2026-07-01T00:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
  });

  it('shows 01:30 twice in Dublin on 25 October, an hour apart', () => {
    for (const instant of ['2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z']) {
      const local = localDateTimeOf(new Date(instant), 'Europe/Dublin');
      expect([local.hour, local.minute]).toEqual([1, 30]);
    }
  });

  it('puts an instant on the local calendar date of the zone, not of the process', () => {
    const instant = new Date('2026-01-01T18:30:00Z');
    expect(localDateOf(instant, 'Asia/Kolkata')).toEqual({ year: 2026, month: 1, day: 2 });
    expect(localDateOf(instant, 'America/Los_Angeles')).toEqual({ year: 2026, month: 1, day: 1 });
    expect(localWeekdayOf(instant, 'Asia/Kolkata')).toBe('fri');
    expect(localWeekdayOf(new Date('2026-01-01T18:29:59Z'), 'Asia/Kolkata')).toBe('thu');
  });

  it('reads Sydney dates a day ahead of Los Angeles at the same instant', () => {
    const instant = new Date('2026-04-04T15:30:00Z');
    expect(localDateOf(instant, 'Australia/Sydney')).toEqual({ year: 2026, month: 4, day: 5 });
    expect(localDateOf(instant, 'America/Los_Angeles')).toEqual({ year: 2026, month: 4, day: 4 });
  });
});

describe('local calendar arithmetic', () => {
  it('adds calendar days across month, year and leap-day boundaries', () => {
    expect(addLocalDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(addLocalDays({ year: 2028, month: 2, day: 28 }, 1)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(addLocalDays({ year: 2026, month: 3, day: 1 }, -1)).toEqual({ year: 2026, month: 2, day: 28 });
  });

  it('keeps 09:00 at 09:00 local when a day is added across a transition, which is 23 hours', () => {
    const saturday = { year: 2026, month: 3, day: 28 };
    const sunday = addLocalDays(saturday, 1);
    const nine = { hour: 9, minute: 0 };
    const gap = zonedLocalToUtc(sunday, nine, 'Europe/Dublin').getTime() - zonedLocalToUtc(saturday, nine, 'Europe/Dublin').getTime();
    expect(gap).toBe(23 * 3_600_000);
  });

  it('names the weekday of a calendar date', () => {
    expect(weekdayOfLocalDate({ year: 2026, month: 3, day: 29 })).toBe('sun');
    expect(weekdayOfLocalDate({ year: 2026, month: 1, day: 5 })).toBe('mon');
    expect(weekdayOfLocalDate({ year: 1969, month: 12, day: 31 })).toBe('wed');
  });

  it('knows IANA zones and rejects made-up ones', () => {
    expect(isKnownTimeZone('Asia/Kolkata')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
