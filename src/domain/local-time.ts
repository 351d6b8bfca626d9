/**
 * Local (wall-clock) time in an IANA zone, computed from UTC instants only.
 *
 * Nothing here reads the process time zone: offsets come from `Intl.DateTimeFormat` with an
 * explicit `timeZone` (what date-fns-tz uses underneath), and local fields are read with
 * `getUTC*` on shifted epoch values. date-fns-tz itself is not used here on purpose: its
 * `getTimezoneOffset(zone, date)` and `fromZonedTime` read the date's local fields in the process
 * zone, so their answers around a transition change with `TZ` (for the repeated 01:30 in Dublin
 * on 25 October 2026, `fromZonedTime` answers 01:30Z under TZ=UTC and 00:30Z under
 * TZ=America/New_York), and a missing time moves back, not forward.
 */
import { offsetMsAt } from './zone-offset.js';

/** A calendar date as people in a zone write it. `month` is 1-12. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A wall-clock time of day, 00:00-23:59. */
export interface LocalTime {
  readonly hour: number;
  readonly minute: number;
}

/** Day of the week, as written in the config file. `sun` is 0, like `Date#getUTCDay`. */
export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';

/** Weekdays in `Date#getUTCDay` order. */
export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

export { offsetMsAt };

/** Days since 1970-01-01 of the local date of `instant` in `timeZone` (cheap: no Date made). */
export function localDayNumberOf(instant: Date | number, timeZone: string): number {
  const epochMs = typeof instant === 'number' ? instant : instant.getTime();
  return Math.floor((epochMs + offsetMsAt(epochMs, timeZone)) / MS_PER_DAY);
}

/** Local date, time and weekday of an instant in a zone. */
export interface LocalDateTime extends LocalDate, LocalTime {
  readonly second: number;
  readonly weekday: Weekday;
  /** Days since 1970-01-01 of the local date; handy for counting local calendar days. */
  readonly dayNumber: number;
  /** Milliseconds since local midnight. */
  readonly msOfDay: number;
}

/** Wall-clock date, time and weekday of `instant` as seen in `timeZone`. */
export function localDateTimeOf(instant: Date | number, timeZone: string): LocalDateTime {
  const epochMs = typeof instant === 'number' ? instant : instant.getTime();
  const wall = new Date(epochMs + offsetMsAt(epochMs, timeZone));
  const dayNumber = Math.floor(wall.getTime() / MS_PER_DAY);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    weekday: WEEKDAYS[wall.getUTCDay()] as Weekday,
    dayNumber,
    msOfDay: wall.getTime() - dayNumber * MS_PER_DAY,
  };
}

/** Local calendar date of `instant` in `timeZone`. */
export function localDateOf(instant: Date | number, timeZone: string): LocalDate {
  const { year, month, day } = localDateTimeOf(instant, timeZone);
  return { year, month, day };
}

/** Local weekday of `instant` in `timeZone`. */
export function localWeekdayOf(instant: Date | number, timeZone: string): Weekday {
  return localDateTimeOf(instant, timeZone).weekday;
}

/** Days since 1970-01-01 of a local calendar date (zone-free calendar arithmetic). */
export function dayNumberOf(date: LocalDate): number {
  return Math.floor(Date.UTC(date.year, date.month - 1, date.day) / MS_PER_DAY);
}

/** The local calendar date with the given day number (inverse of {@link dayNumberOf}). */
export function localDateFromDayNumber(dayNumber: number): LocalDate {
  const date = new Date(dayNumber * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** The calendar date `days` later (or earlier); calendar days, never 24-hour blocks. */
export function addLocalDays(date: LocalDate, days: number): LocalDate {
  return localDateFromDayNumber(dayNumberOf(date) + days);
}

/** Weekday of a local calendar date. */
export function weekdayOfLocalDate(date: LocalDate): Weekday {
  return WEEKDAYS[(((dayNumberOf(date) + 4) % 7) + 7) % 7] as Weekday;
}

/**
 * The instant at which the wall clock in `timeZone` shows `time` on `date`, by the
 * "compatible" rule (GoAlert, RFC 5545, Temporal): a local time that does not exist (spring
 * forward) moves forward by the length of the gap; a local time that happens twice (fall back)
 * means its first occurrence. `date-fns-tz`'s `fromZonedTime` does neither, hence this.
 */
export function zonedLocalToUtc(date: LocalDate, time: LocalTime, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute);
  return new Date(wallToEpochMs(wall, timeZone));
}

/** {@link zonedLocalToUtc} on a wall-clock value expressed as ms since the local epoch. */
export function wallToEpochMs(wall: number, timeZone: string): number {
  // Offsets a day either side bracket any transition near `wall` (none are closer than a day).
  const offsetBefore = offsetMsAt(wall - MS_PER_DAY, timeZone);
  const offsetAfter = offsetMsAt(wall + MS_PER_DAY, timeZone);
  if (offsetBefore === offsetAfter) return wall - offsetBefore;
  const early = wall - Math.max(offsetBefore, offsetAfter);
  const late = wall - Math.min(offsetBefore, offsetAfter);
  const earlyValid = offsetMsAt(early, timeZone) === wall - early;
  const lateValid = offsetMsAt(late, timeZone) === wall - late;
  if (earlyValid) return early; // the only occurrence, or the first of two (fall back)
  if (lateValid) return late;
  // A gap: read the wall time with the offset in force before it, which lands past the gap.
  return wall - offsetBefore;
}

/** Milliseconds in `minutes` minutes (fractional allowed). */
export function minutesToMs(minutes: number): number {
  return Math.round(minutes * MS_PER_MINUTE);
}

/**
 * A zone name as the config file may write it: `UTC`, or an IANA `Area/Location` name, known to
 * this runtime. One rule for schedule layers and reports alike (abbreviations such as `EST` are refused).
 */
export function isConfigTimeZone(value: string): boolean {
  return /^(UTC|[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)+)$/.test(value) && isKnownTimeZone(value);
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
