/**
 * A time a person asked about (`/oncall at <when>`), read but not yet placed on the time line,
 * and the rule that places it. Pure; no clock. Reading the text is the Slack edge's job
 * (`src/slack/inputs/oncall-when.ts`).
 */
import { addLocalDays, localDateOf, offsetMsAt, zonedLocalToUtc, type LocalDate, type LocalTime } from './local-time.js';

/** What the person typed, understood but not yet placed on the time line. */
export type WhenInput =
  | { readonly kind: 'instant'; readonly at: Date }
  | { readonly kind: 'local'; readonly date: LocalDate; readonly time: LocalTime; readonly timeZone: string | null };

/** A time relative to when it is asked: `tomorrow 03:00 [zone]`, `today 18:30`, `in 3 hours`. */
export type RelativeWhen =
  | { readonly kind: 'day'; readonly days: number; readonly time: LocalTime; readonly timeZone: string | null }
  | { readonly kind: 'in'; readonly ms: number };

/**
 * Places a relative time at `now`: `in` adds to now; a day and time become that local date
 * (today plus `days` in the zone, `defaultZone` when none was typed) at that wall time.
 */
export function placeRelative(when: RelativeWhen, now: Date, defaultZone: string): WhenInput {
  if (when.kind === 'in') return { kind: 'instant', at: new Date(now.getTime() + when.ms) };
  const zone = when.timeZone ?? defaultZone;
  return { kind: 'local', date: addLocalDays(localDateOf(now, zone), when.days), time: when.time, timeZone: zone };
}

/** An instant, and a note when the local time was moved (spring forward) or was ambiguous (fall back). */
export interface ResolvedWhen {
  readonly at: Date;
  readonly timeZone: string | null;
  readonly note?: string;
}

const MS_PER_DAY = 86_400_000;

function formatOffset(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Places a {@link WhenInput} on the time line; a local time without a zone is read in
 * `defaultZone`. Local times follow the compatible rule of {@link zonedLocalToUtc}: a time that
 * does not exist moves forward by the gap, a time that happens twice means the first.
 */
export function resolveWhen(when: WhenInput, defaultZone: string): ResolvedWhen {
  if (when.kind === 'instant') return { at: when.at, timeZone: null };
  const timeZone = when.timeZone ?? defaultZone;
  const at = zonedLocalToUtc(when.date, when.time, timeZone);
  const wall = Date.UTC(when.date.year, when.date.month - 1, when.date.day, when.time.hour, when.time.minute);
  const offset = offsetMsAt(at, timeZone);
  const hhmm = `${String(when.time.hour).padStart(2, '0')}:${String(when.time.minute).padStart(2, '0')}`;
  if (at.getTime() + offset !== wall) {
    return {
      at,
      timeZone,
      note: `${hhmm} does not exist in ${timeZone} that day (the clocks went forward); read as the moment the gap ends`,
    };
  }
  const before = offsetMsAt(wall - MS_PER_DAY, timeZone);
  const after = offsetMsAt(wall + MS_PER_DAY, timeZone);
  for (const other of [before, after]) {
    const second = wall - other;
    if (second !== at.getTime() && offsetMsAt(second, timeZone) === other) {
      return {
        at,
        timeZone,
        note: `${hhmm} happens twice in ${timeZone} that day (the clocks went back); read as the first, ${formatOffset(offset)}`,
      };
    }
  }
  return { at, timeZone };
}
