/** What the `/oncall` views show, worked out from the pure rotation maths. No I/O. */
import { coverageGaps, type TimeInterval } from './coverage-gaps.js';
import { handoffsBetween, type Handoff } from './handoffs.js';
import { layerShiftAt } from './layer-shift.js';
import { onCallLoad, type OnCallLoadEntry } from './on-call-load.js';
import { onCallAt, type OnCall } from './rotation.js';
import type { Schedule } from './schedule.js';

const MS_PER_HOUR = 3_600_000;
/** How far ahead "until" and "then" look; beyond it a shift is shown as open-ended. */
export const UNTIL_HORIZON_MS = 8 * 24 * MS_PER_HOUR;

/** One hub (layer) on its own: who its rotation has on shift, if it is on duty. */
export interface HubStatus {
  readonly layerName: string;
  readonly timeZone: string;
  readonly userId: string | null;
}

/** Who is on call in one schedule at an instant, until when, and who comes next. */
export interface ScheduleStatus {
  readonly scheduleId: string;
  readonly scheduleName: string;
  readonly onCall: OnCall | null;
  /** The next change of person after the instant, within {@link UNTIL_HORIZON_MS}. */
  readonly next: Handoff | null;
  readonly hubs: readonly HubStatus[];
}

/** {@link ScheduleStatus} of `schedule` at `at`. */
export function scheduleStatus(schedule: Schedule, at: Date): ScheduleStatus {
  const after = new Date(at.getTime() + 1);
  const next = handoffsBetween(schedule, after, new Date(at.getTime() + UNTIL_HORIZON_MS))[0] ?? null;
  return {
    scheduleId: schedule.id,
    scheduleName: schedule.name,
    onCall: onCallAt(schedule, at),
    next,
    hubs: schedule.layers.map((layer) => ({
      layerName: layer.name,
      timeZone: layer.timeZone,
      userId: layerShiftAt(layer, at.getTime())?.userId ?? null,
    })),
  };
}

/** A handoff, and whether the person taking over does so by an override. */
export interface UpcomingHandoff extends Handoff {
  readonly byOverride: boolean;
}

/** Handoffs of one schedule in `[from, from + hours)`. */
export function upcomingHandoffs(schedule: Schedule, from: Date, hoursAhead: number): UpcomingHandoff[] {
  const to = new Date(from.getTime() + hoursAhead * MS_PER_HOUR);
  return handoffsBetween(schedule, from, to).map((handoff) => ({
    ...handoff,
    byOverride: onCallAt(schedule, handoff.at)?.reason.kind === 'override',
  }));
}

/** Gaps of one schedule in `[from, from + days)`. */
export function upcomingGaps(schedule: Schedule, from: Date, days: number): TimeInterval[] {
  return coverageGaps(schedule, from, new Date(from.getTime() + days * 24 * MS_PER_HOUR));
}

/** Load per person over `[from, from + days)`, heaviest first (hours, then out-of-hours hours). */
export function loadByPerson(schedule: Schedule, from: Date, days: number): OnCallLoadEntry[] {
  const entries = onCallLoad(schedule, from, new Date(from.getTime() + days * 24 * MS_PER_HOUR));
  return [...entries].sort((a, b) => b.hours - a.hours || b.outOfHoursHours - a.outOfHoursHours || a.userId.localeCompare(b.userId));
}
