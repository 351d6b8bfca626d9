/** How on-call time is spread across people: shifts, hours and out-of-hours hours. */
import { localDayNumberOf, wallToEpochMs } from './local-time.js';
import { onCallSegments, type OnCall } from './rotation.js';
import type { Schedule } from './schedule.js';

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const BUSINESS_START_MS = 9 * MS_PER_HOUR;
const BUSINESS_END_MS = 18 * MS_PER_HOUR;

/** One person's on-call load over a range. */
export interface OnCallLoadEntry {
  readonly userId: string;
  /** Unbroken stretches on call (touching stretches of the same person count once). */
  readonly shifts: number;
  readonly hours: number;
  /** Hours on call outside 09:00-18:00 Monday to Friday in the zone that applies. */
  readonly outOfHoursHours: number;
}

/** Milliseconds of `[start, end)` inside 09:00-18:00 Mon-Fri local time in `timeZone`. */
function businessMsWithin(start: number, end: number, timeZone: string): number {
  const firstDay = localDayNumberOf(start, timeZone);
  const lastDay = localDayNumberOf(end, timeZone);
  let total = 0;
  for (let day = firstDay; day <= lastDay; day += 1) {
    const weekday = (((day + 4) % 7) + 7) % 7;
    if (weekday === 0 || weekday === 6) continue;
    const open = wallToEpochMs(day * MS_PER_DAY + BUSINESS_START_MS, timeZone);
    const close = wallToEpochMs(day * MS_PER_DAY + BUSINESS_END_MS, timeZone);
    total += Math.max(0, Math.min(end, close) - Math.max(start, open));
  }
  return total;
}

/** Each person's home zone: that of the first layer listing them. */
function homeZones(schedule: Schedule): Map<string, string> {
  const zones = new Map<string, string>();
  for (const layer of schedule.layers) {
    for (const member of layer.rotation.members) {
      if (!zones.has(member)) zones.set(member, layer.timeZone);
    }
  }
  return zones;
}

function zoneFor(onCall: OnCall, home: Map<string, string>): string {
  if (onCall.reason.kind === 'layer') return onCall.reason.timeZone;
  return home.get(onCall.userId) ?? 'UTC';
}

interface Tally {
  shifts: number;
  ms: number;
  outOfHoursMs: number;
}

/**
 * Shifts, hours and out-of-hours hours per person over `[from, to)`.
 *
 * Out of hours means outside 09:00-18:00, Monday to Friday, in the zone of the layer that put
 * the person on call; for an override, in the person's home zone (the first layer listing
 * them), or UTC for someone in no layer. Everyone in a rotation is listed, even with no time
 * on call, in the order they first appear; override-only people follow.
 */
export function onCallLoad(schedule: Schedule, from: Date, to: Date): OnCallLoadEntry[] {
  const home = homeZones(schedule);
  const tallies = new Map<string, Tally>();
  for (const userId of home.keys()) tallies.set(userId, { shifts: 0, ms: 0, outOfHoursMs: 0 });
  let previousUser: string | null = null;
  for (const { from: start, to: end, onCall } of onCallSegments(schedule, from, to)) {
    if (!onCall) {
      previousUser = null;
      continue;
    }
    let tally = tallies.get(onCall.userId);
    if (!tally) {
      tally = { shifts: 0, ms: 0, outOfHoursMs: 0 };
      tallies.set(onCall.userId, tally);
    }
    if (previousUser !== onCall.userId) tally.shifts += 1;
    const ms = end.getTime() - start.getTime();
    tally.ms += ms;
    tally.outOfHoursMs += ms - businessMsWithin(start.getTime(), end.getTime(), zoneFor(onCall, home));
    previousUser = onCall.userId;
  }
  return [...tallies].map(([userId, tally]) => ({
    userId,
    shifts: tally.shifts,
    hours: tally.ms / MS_PER_HOUR,
    outOfHoursHours: tally.outOfHoursMs / MS_PER_HOUR,
  }));
}
