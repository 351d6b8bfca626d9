/**
 * Responder wellbeing, as pure maths: how long a person has held a role on, or been active in,
 * sensitive incidents (child safety, self-harm) over a stretch of time, and which other hub is
 * awake to take over. Everything is computed from the record (the timeline), nothing is stored.
 */
import { layerShiftAt, windowAt, windowStartingOn } from './layer-shift.js';
import { localDateOf, localDayNumberOf, wallToEpochMs } from './local-time.js';
import type { Layer, Schedule } from './schedule.js';

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

/** A message or an action in an incident counts as this much time spent on it. */
export const ACTIVITY_WINDOW_MS = 10 * MS_PER_MINUTE;
/** How far ahead a hub may start to count as "the next hub awake". */
export const NEXT_HUB_HORIZON_MS = MS_PER_DAY;

/** Half-open `[from, to)`, epoch ms. */
export interface ExposureInterval {
  readonly from: number;
  readonly to: number;
}

/** A timeline entry as the exposure maths reads it. */
export interface ExposureEntry {
  readonly at: Date;
  readonly kind: string;
  readonly actorId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/** One sensitive incident's history. */
export interface SensitiveIncidentHistory {
  readonly incidentId: string;
  /** When work on it stopped (resolved, closed, cancelled); null while it is open. */
  readonly endedAt: Date | null;
  readonly entries: readonly ExposureEntry[];
}

/** What one person did on sensitive incidents. */
export interface PersonExposure {
  /** Role holding and activity windows, unmerged. */
  readonly intervals: readonly ExposureInterval[];
  /** Whether the person holds a role on an open sensitive incident at `now` (their exposure is still growing). */
  readonly holdingNow: boolean;
}

/**
 * Who held which role when, and who did something when, on sensitive incidents, up to `now`.
 * The declarer is the first commander (as at declaration); each `role_assigned` entry hands its
 * role to its `data.userId` until the next one for that role or the end of the incident. Every
 * entry with an actor (a note, an update, a runbook tick, an assignment) counts as an
 * {@link ACTIVITY_WINDOW_MS} window from its instant.
 */
export function exposureByPerson(histories: readonly SensitiveIncidentHistory[], now: Date): Map<string, PersonExposure> {
  const nowMs = now.getTime();
  const intervals = new Map<string, ExposureInterval[]>();
  const holding = new Set<string>();
  const add = (userId: string, from: number, to: number) => {
    const end = Math.min(to, nowMs);
    if (!(from < end)) return;
    const list = intervals.get(userId) ?? [];
    list.push({ from, to: end });
    intervals.set(userId, list);
  };
  for (const history of histories) {
    const endMs = Math.min(history.endedAt?.getTime() ?? nowMs, nowMs);
    const entries = [...history.entries].sort((a, b) => a.at.getTime() - b.at.getTime());
    const holders = new Map<string, { userId: string; since: number }>();
    const give = (role: string, userId: string, at: number) => {
      const held = holders.get(role);
      if (held?.userId === userId) return;
      if (held) add(held.userId, held.since, at);
      holders.set(role, { userId, since: at });
    };
    for (const entry of entries) {
      const at = entry.at.getTime();
      if (entry.kind === 'declared' && entry.actorId) give('commander', entry.actorId, at);
      if (entry.kind === 'role_assigned' && typeof entry.data.role === 'string' && typeof entry.data.userId === 'string') {
        give(entry.data.role, entry.data.userId, at);
      }
      if (entry.actorId) add(entry.actorId, at, at + ACTIVITY_WINDOW_MS);
    }
    for (const { userId, since } of holders.values()) {
      add(userId, since, endMs);
      if (history.endedAt === null) holding.add(userId);
    }
  }
  const people = new Set([...intervals.keys(), ...holding]);
  return new Map([...people].map((userId) => [userId, { intervals: intervals.get(userId) ?? [], holdingNow: holding.has(userId) }]));
}

/** Milliseconds covered by `intervals` inside `within` (overlaps counted once). */
export function coveredMs(intervals: readonly ExposureInterval[], within: ExposureInterval): number {
  const clipped = intervals
    .map((i) => ({ from: Math.max(i.from, within.from), to: Math.min(i.to, within.to) }))
    .filter((i) => i.from < i.to)
    .sort((a, b) => a.from - b.from);
  let total = 0;
  let run: { from: number; to: number } | null = null;
  for (const i of clipped) {
    if (run && i.from <= run.to) {
      run.to = Math.max(run.to, i.to);
    } else {
      if (run) total += run.to - run.from;
      run = { ...i };
    }
  }
  if (run) total += run.to - run.from;
  return total;
}

/** A person's local calendar day: its bounds (23 or 25 hours on a DST change) and its `yyyy-mm-dd`. */
export interface LocalDay extends ExposureInterval {
  readonly date: string;
}

/** The local day of `instant` in `timeZone`. */
export function localDayOf(instant: Date, timeZone: string): LocalDay {
  const dayNumber = localDayNumberOf(instant, timeZone);
  const { year, month, day } = localDateOf(instant, timeZone);
  return {
    from: wallToEpochMs(dayNumber * MS_PER_DAY, timeZone),
    to: wallToEpochMs((dayNumber + 1) * MS_PER_DAY, timeZone),
    date: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  };
}

/** Exposure of the local day of `now` up to `now`, in minutes (fractional). */
export function exposureMinutesToday(intervals: readonly ExposureInterval[], now: Date, timeZone: string): number {
  const day = localDayOf(now, timeZone);
  return coveredMs(intervals, { from: day.from, to: Math.min(day.to, now.getTime()) }) / MS_PER_MINUTE;
}

/**
 * What an exposure check should do at `now`: nudge (the threshold is reached today), look again
 * when the threshold could be reached at the earliest (exposure growing without a break), or at
 * the start of the next local day (nudged already, or nothing growing).
 */
export type ExposureVerdict =
  | { readonly kind: 'nudge'; readonly minutes: number; readonly date: string }
  | { readonly kind: 'later'; readonly at: Date; readonly minutes: number }
  | { readonly kind: 'idle'; readonly minutes: number };

export function exposureVerdict(input: {
  exposure: PersonExposure;
  now: Date;
  timeZone: string;
  thresholdMinutes: number;
  nudgedToday: boolean;
}): ExposureVerdict {
  const { exposure, now, timeZone } = input;
  const minutes = exposureMinutesToday(exposure.intervals, now, timeZone);
  const day = localDayOf(now, timeZone);
  const growing = exposure.holdingNow || exposure.intervals.some((i) => i.to >= now.getTime());
  if (input.nudgedToday) return growing ? { kind: 'later', at: new Date(day.to), minutes } : { kind: 'idle', minutes };
  if (minutes >= input.thresholdMinutes) return { kind: 'nudge', minutes, date: day.date };
  if (!growing) return { kind: 'idle', minutes };
  const due = now.getTime() + Math.max(1000, Math.ceil((input.thresholdMinutes - minutes) * MS_PER_MINUTE));
  // Past midnight the count starts again: look at the new day's start instead.
  return { kind: 'later', at: new Date(Math.min(due, day.to)), minutes };
}

/** A layer of a schedule, named for people. */
export interface HubRef {
  readonly scheduleId: string;
  readonly layerName: string;
  readonly timeZone: string;
}

/** The hub (layer) whose rotation lists `userId`, the first one found; null for someone on no layer. */
export function hubOfPerson(schedules: readonly Schedule[], userId: string): HubRef | null {
  for (const schedule of schedules) {
    for (const layer of schedule.layers) {
      if (layer.rotation.members.includes(userId)) return { scheduleId: schedule.id, layerName: layer.name, timeZone: layer.timeZone };
    }
  }
  return null;
}

/** The hub to hand over to, who is on call there, and from when (`now` when it is awake already). */
export interface AwakeHub extends HubRef {
  readonly userId: string;
  readonly from: Date;
}

/** The start of the layer's window containing `now`, else of its next one within the horizon. */
function nextWindowStart(layer: Layer, nowMs: number, horizonMs: number): number | null {
  const today = localDayNumberOf(nowMs, layer.timeZone);
  if (windowAt(layer, nowMs, today)) return nowMs;
  for (let day = today; day <= today + Math.ceil(horizonMs / MS_PER_DAY) + 1; day += 1) {
    const window = windowStartingOn(layer, day);
    if (window && window.start > nowMs) return window.start <= nowMs + horizonMs ? window.start : null;
  }
  return null;
}

/**
 * Who `layer` has on call at `at`: nobody outside its coverage; else an override covering `at`
 * (overrides sit above every layer, so the person whose shift it covers is off duty, whichever
 * layer is listed first), else the layer's own rotation.
 */
function onCallOfLayer(schedule: Schedule, layer: Layer, at: number): string | null {
  const shift = layerShiftAt(layer, at);
  if (!shift) return null;
  const override = schedule.overrides.find((o) => o.from.getTime() <= at && at < o.to.getTime());
  return override ? override.user : shift.userId;
}

/**
 * The next hub awake other than `exclude` (the person's own hub): the layer whose coverage window
 * contains `now`, else the one whose window starts soonest (within {@link NEXT_HUB_HORIZON_MS}),
 * with the person the schedule has on call then (an override replaces the overridden person).
 * With `awakeBy`, only a hub on duty by then counts: a hand-over takes effect on the click, so
 * nobody is offered before their coverage starts. Layers that would hand back to `excludeUser`
 * or to anyone in `excludeUsers` (who handed this incident over lately: no ping-pong), and layers
 * with nobody on call, are passed over. Ties go to the schedule and layer listed first.
 */
export function nextAwakeHub(
  schedules: readonly Schedule[],
  now: Date,
  opts: {
    exclude?: Pick<HubRef, 'scheduleId' | 'layerName'> | null;
    excludeUser?: string;
    excludeUsers?: readonly string[];
    horizonMs?: number;
    awakeBy?: Date;
  } = {},
): AwakeHub | null {
  const nowMs = now.getTime();
  let best: AwakeHub | null = null;
  for (const schedule of schedules) {
    for (const layer of schedule.layers) {
      if (opts.exclude && opts.exclude.scheduleId === schedule.id && opts.exclude.layerName === layer.name) continue;
      const from = nextWindowStart(layer, nowMs, opts.horizonMs ?? NEXT_HUB_HORIZON_MS);
      if (from === null || (best && best.from.getTime() <= from)) continue;
      if (opts.awakeBy && from > opts.awakeBy.getTime()) continue;
      const userId = onCallOfLayer(schedule, layer, from);
      if (!userId || userId === opts.excludeUser || opts.excludeUsers?.includes(userId)) continue;
      best = { scheduleId: schedule.id, layerName: layer.name, timeZone: layer.timeZone, userId, from: new Date(from) };
    }
  }
  return best;
}

/** How long someone who handed an incident over is not offered it back. */
export const NO_HAND_BACK_MS = 12 * 3_600_000;

/**
 * Who handed `incident` over as commander at or after `since`: the commanders before each
 * commander change in that stretch (the declarer is the first). Not to be offered it back.
 */
export function recentFormerCommanders(
  declaredBy: string,
  roleChanges: ReadonlyArray<{ at: Date; data: Record<string, unknown> }>,
  since: Date,
): string[] {
  let commander = declaredBy;
  const former = new Set<string>();
  for (const change of roleChanges) {
    if (change.data.role !== 'commander' || typeof change.data.userId !== 'string' || change.data.userId === commander) continue;
    if (change.at.getTime() >= since.getTime()) former.add(commander);
    commander = change.data.userId;
  }
  former.delete(commander);
  return [...former];
}

/** Every end of a coverage window of every layer in `(from, to]`, for end-of-coverage offers. */
export function coverageEndsBetween(schedules: readonly Schedule[], from: Date, to: Date): Array<HubRef & { readonly endsAt: Date }> {
  const ends: Array<HubRef & { endsAt: Date }> = [];
  for (const schedule of schedules) {
    for (const layer of schedule.layers) {
      const first = localDayNumberOf(from, layer.timeZone) - 1;
      const last = localDayNumberOf(to, layer.timeZone);
      for (let day = first; day <= last; day += 1) {
        const window = windowStartingOn(layer, day);
        if (!window || window.end <= from.getTime() || window.end > to.getTime()) continue;
        ends.push({ scheduleId: schedule.id, layerName: layer.name, timeZone: layer.timeZone, endsAt: new Date(window.end) });
      }
    }
  }
  return ends.sort((a, b) => a.endsAt.getTime() - b.endsAt.getTime());
}

/** The city of an IANA zone, for people: `Asia/Singapore` → `Singapore`, `America/Los_Angeles` → `Los Angeles`. */
export function cityOfZone(timeZone: string): string {
  const last = timeZone.split('/').pop() ?? timeZone;
  return last.replace(/_/g, ' ');
}

/** Hours with one decimal. */
export function roundHours(ms: number): number {
  return Math.round(ms / 360_000) / 10;
}
