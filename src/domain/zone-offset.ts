/**
 * A zone's UTC offset at an instant, from `Intl.DateTimeFormat` with an explicit `timeZone`, so
 * the process time zone never leaks in. Cached per zone and UTC day, because the rotation maths
 * asks for the same few offsets many times per evaluation.
 */

import { formatterCache } from './zone-formatters.js';

const MS_PER_DAY = 86_400_000;

const formatterFor = formatterCache({
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  era: 'short',
});

/** Offset in ms straight from Intl; the slow path behind {@link offsetMsAt}. */
function computeOffsetMs(epochMs: number, timeZone: string): number {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) fields[part.type] = part.value;
  let year = Number(fields.year);
  if (fields.era === 'BC' || fields.era === 'B') year = 1 - year;
  const wall = Date.UTC(
    year,
    Number(fields.month) - 1,
    Number(fields.day),
    Number(fields.hour),
    Number(fields.minute),
    Number(fields.second),
  );
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  return wall - wholeSeconds;
}

/** A zone's offsets over one UTC day: `before` until `switchAt`, `after` from it on. */
interface DayOffsets {
  readonly before: number;
  readonly after: number;
  readonly switchAt: number;
}

// Per zone, per UTC day. Bounded so a long-running process cannot grow it forever.
const dayOffsets = new Map<string, Map<number, DayOffsets>>();
const MAX_CACHED_DAYS_PER_ZONE = 50_000;

/** The first whole second of `[start, end)` showing offset `after`; Intl once per step. */
function findSwitch(start: number, end: number, after: number, timeZone: string): number {
  let low = start / 1000; // offset before here
  let high = end / 1000; // offset `after` here
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (computeOffsetMs(middle * 1000, timeZone) === after) high = middle;
    else low = middle;
  }
  return high * 1000;
}

function offsetsOfDay(dayIndex: number, timeZone: string): DayOffsets {
  let byDay = dayOffsets.get(timeZone);
  if (!byDay) {
    byDay = new Map();
    dayOffsets.set(timeZone, byDay);
  }
  let offsets = byDay.get(dayIndex);
  if (offsets === undefined) {
    if (byDay.size >= MAX_CACHED_DAYS_PER_ZONE) byDay.clear();
    const start = dayIndex * MS_PER_DAY;
    const end = start + MS_PER_DAY;
    const before = computeOffsetMs(start, timeZone);
    const after = computeOffsetMs(end, timeZone);
    const switchAt = before === after ? end : findSwitch(start, end, after, timeZone);
    offsets = { before, after, switchAt };
    byDay.set(dayIndex, offsets);
  }
  return offsets;
}

/**
 * The zone's UTC offset (local minus UTC, in ms) at an instant.
 *
 * Cached per UTC day: the offsets at both ends of the day, and where it switches if they differ
 * (found once by bisection). Exact as long as a zone changes offset at most once a day, which
 * every zone does in the years Meridian schedules.
 */
export function offsetMsAt(instant: Date | number, timeZone: string): number {
  const epochMs = typeof instant === 'number' ? instant : instant.getTime();
  const offsets = offsetsOfDay(Math.floor(epochMs / MS_PER_DAY), timeZone);
  return epochMs < offsets.switchAt ? offsets.before : offsets.after;
}
