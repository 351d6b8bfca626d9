/**
 * The periods the record is read over: a typed range of days (`/incident export`, the CSV API,
 * `/incident report <from> <to>`), and the weeks and months of the digests.
 */

/** Instants `[from, to)`: a range of whole UTC days, or a digest's week or month. */
export interface Period {
  readonly from: Date;
  readonly to: Date;
}

import {
  addLocalDays,
  localDateOf,
  weekdayOfLocalDate,
  zonedLocalToUtc,
  type LocalDate,
  type LocalTime,
  type Weekday,
} from './local-time.js';

const YYYY_MM_DD = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A calendar date written YYYY-MM-DD, as the instant its UTC day starts; null when it is not one. */
export function utcDayStart(text: string): Date | null {
  const match = YYYY_MM_DD.exec(text.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

/** The outcome of reading `<from> <to>`: the period, or what was wrong, naming the bad values. */
export type DayRangeResult = { ok: true; period: Period; fromText: string; toText: string } | { ok: false; problems: string[] };

/**
 * `from` and `to` as YYYY-MM-DD, both days included, read in UTC: `2026-03-01 2026-03-31` is
 * March. `to` before `from` is refused; so is a range longer than `maxDays`.
 */
export function readDayRange(fromText: string | undefined, toText: string | undefined, maxDays = 400): DayRangeResult {
  const problems: string[] = [];
  const from = fromText === undefined ? null : utcDayStart(fromText);
  const to = toText === undefined ? null : utcDayStart(toText);
  if (from === null) problems.push(`from: expected a date YYYY-MM-DD, got ${show(fromText)}`);
  if (to === null) problems.push(`to: expected a date YYYY-MM-DD, got ${show(toText)}`);
  if (from === null || to === null) return { ok: false, problems };
  if (to < from) return { ok: false, problems: [`to: ${toText} is before from: ${fromText}`] };
  const days = (to.getTime() - from.getTime()) / DAY_MS + 1;
  if (days > maxDays) return { ok: false, problems: [`to: the range is ${days} days; at most ${maxDays} days at a time`] };
  return {
    ok: true,
    period: { from, to: new Date(to.getTime() + DAY_MS) },
    fromText: (fromText as string).trim(),
    toText: (toText as string).trim(),
  };
}

function show(text: string | undefined): string {
  return text === undefined || text.trim() === '' ? 'nothing' : `"${text.trim().slice(0, 40)}"`;
}

/** `reports.weekly`: the local weekday and wall time of the weekly digest, in its zone. */
export interface WeeklyDigestRule {
  readonly day: Weekday;
  readonly at: LocalTime;
  readonly timeZone: string;
}

/** `reports.monthly`: the local day of the month (1-28, so every month has it) and wall time. */
export interface MonthlyDigestRule {
  readonly day: number;
  readonly at: LocalTime;
  readonly timeZone: string;
}

export type DigestCadence = 'weekly' | 'monthly';

/** One planned digest: when it is posted, the period it covers and the one it is compared with. */
export interface DigestRun {
  readonly cadence: DigestCadence;
  readonly runAt: Date;
  readonly period: Period;
  readonly previous: Period;
  /** Per-day figures and "local" dates are read in this zone. */
  readonly timeZone: string;
}

const MIDNIGHT: LocalTime = { hour: 0, minute: 0 };

/**
 * The first weekly run strictly after `after`. It covers the seven local days before the run's
 * day (Monday 09:00 covers Monday to Sunday of the week before), measured from local midnight to
 * local midnight, so a week across a DST change has 167 or 169 hours, never a drifted edge.
 */
export function nextWeeklyRun(rule: WeeklyDigestRule, after: Date): DigestRun {
  const today = localDateOf(after, rule.timeZone);
  for (let k = 0; k <= 7; k += 1) {
    const date = addLocalDays(today, k);
    if (weekdayOfLocalDate(date) !== rule.day) continue;
    const runAt = zonedLocalToUtc(date, rule.at, rule.timeZone);
    if (runAt <= after) continue;
    const start = (days: number) => zonedLocalToUtc(addLocalDays(date, days), MIDNIGHT, rule.timeZone);
    return {
      cadence: 'weekly',
      runAt,
      period: { from: start(-7), to: start(0) },
      previous: { from: start(-14), to: start(-7) },
      timeZone: rule.timeZone,
    };
  }
  throw new Error('unreachable: every weekday comes round within eight days');
}

/** The first monthly run strictly after `after`; it covers the previous local calendar month. */
export function nextMonthlyRun(rule: MonthlyDigestRule, after: Date): DigestRun {
  const today = localDateOf(after, rule.timeZone);
  for (let k = 0; k <= 1; k += 1) {
    const month = addMonths({ year: today.year, month: today.month, day: 1 }, k);
    const runAt = zonedLocalToUtc({ ...month, day: rule.day }, rule.at, rule.timeZone);
    if (runAt <= after) continue;
    const start = (months: number) => zonedLocalToUtc(addMonths(month, months), MIDNIGHT, rule.timeZone);
    return {
      cadence: 'monthly',
      runAt,
      period: { from: start(-1), to: start(0) },
      previous: { from: start(-2), to: start(-1) },
      timeZone: rule.timeZone,
    };
  }
  throw new Error('unreachable: next month always has the run day');
}

/** The first of the month `months` after `date`'s month. */
function addMonths(date: LocalDate, months: number): LocalDate {
  const index = date.year * 12 + (date.month - 1) + months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1, day: 1 };
}

/** The dedupe key of a run: one row per cadence and period, however often it is planned. */
export function digestDedupeKey(run: Pick<DigestRun, 'cadence' | 'period'>): string {
  return `digest:${run.cadence}:${run.period.from.toISOString()}`;
}

/** The local dates of a period, each day once, in its zone. */
export function localDaysOf(period: Period, timeZone: string): LocalDate[] {
  const days: LocalDate[] = [];
  for (let date = localDateOf(period.from, timeZone); zonedLocalToUtc(date, MIDNIGHT, timeZone) < period.to; date = addLocalDays(date, 1)) {
    days.push(date);
  }
  return days;
}

/** `2026-03-02` */
export function formatLocalDate(date: LocalDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const dayText = (date: LocalDate) => `${date.day} ${MONTHS[date.month - 1]} ${date.year}`;

/**
 * The days a period covers, first and last, as dates in its own zone: `1 Dec 2026 to 7 Dec 2026`
 * for 1-7 December. Plain text, never a reader-zoned date, so the end is the last day covered and
 * not the next (the period's `to` is exclusive), in every reader's zone and in a file's title.
 */
export function periodSpan(period: Period, timeZone: string): string {
  const days = localDaysOf(period, timeZone);
  const first = days[0] ?? localDateOf(period.from, timeZone);
  const last = days.at(-1) ?? first;
  return formatLocalDate(first) === formatLocalDate(last) ? dayText(first) : `${dayText(first)} to ${dayText(last)}`;
}

/** The last day a period covers, in its own zone: `29 Mar 2026` for the week of 23-29 March. */
export function periodLastDay(period: Period, timeZone: string): string {
  const days = localDaysOf(period, timeZone);
  return dayText(days.at(-1) ?? localDateOf(period.from, timeZone));
}
