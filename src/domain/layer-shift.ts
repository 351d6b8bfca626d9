/**
 * One layer on its own: its coverage windows, its handoffs, and who its rotation puts on duty.
 * All of it is counted in local calendar days of the layer's zone, so daylight-saving changes
 * never move a handoff or a window off its wall-clock time.
 */
import { dayNumberOf, localDayNumberOf, wallToEpochMs, WEEKDAYS, type LocalTime } from './local-time.js';
import type { Layer } from './schedule.js';

const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;

/** A layer's numbers, worked out once per layer object rather than once per evaluation. */
interface LayerFacts {
  readonly periodDays: number;
  readonly startsDay: number;
  readonly handoffMs: number;
  readonly fromMs: number;
  readonly toMs: number;
  /** 1 when a window ends the day after it starts (`to` not after `from`). */
  readonly endDayOffset: number;
  /** Indexed by `Date#getUTCDay` order: does a window start on that weekday? */
  readonly startsOnWeekday: readonly boolean[];
}

const factsByLayer = new WeakMap<Layer, LayerFacts>();

function msOfDay(time: LocalTime): number {
  return (time.hour * 60 + time.minute) * MS_PER_MINUTE;
}

function factsOf(layer: Layer): LayerFacts {
  let facts = factsByLayer.get(layer);
  if (!facts) {
    const { coverage, rotation } = layer;
    const fromMs = msOfDay(coverage.from);
    const toMs = msOfDay(coverage.to);
    facts = {
      periodDays: rotation.every.count * (rotation.every.unit === 'week' ? 7 : 1),
      startsDay: dayNumberOf(rotation.starts),
      handoffMs: msOfDay(rotation.handoff),
      fromMs,
      toMs,
      endDayOffset: toMs <= fromMs ? 1 : 0,
      startsOnWeekday: WEEKDAYS.map((weekday) => coverage.days.includes(weekday)),
    };
    factsByLayer.set(layer, facts);
  }
  return facts;
}

function weekdayIndexOfDay(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** Instant (epoch ms) of the rotation's handoff number `index` (0 is the one on `starts`). */
export function handoffEpochMs(layer: Layer, index: number): number {
  const facts = factsOf(layer);
  const day = facts.startsDay + index * facts.periodDays;
  return wallToEpochMs(day * MS_PER_DAY + facts.handoffMs, layer.timeZone);
}

/**
 * Number of handoffs at or before `epochMs`, minus one: the index of the shift in force.
 * Negative before the first handoff. Arithmetic on local day numbers, no scan of past shifts.
 */
export function rotationIndexAt(layer: Layer, epochMs: number, localDay?: number): number {
  const facts = factsOf(layer);
  const day = localDay ?? localDayNumberOf(epochMs, layer.timeZone);
  const index = Math.floor((day - facts.startsDay) / facts.periodDays);
  // On a handoff day the shift changes at the handoff instant, not at midnight.
  return epochMs < handoffEpochMs(layer, index) ? index - 1 : index;
}

/** A half-open interval of epoch ms. */
export interface EpochInterval {
  readonly start: number;
  readonly end: number;
}

/** The coverage window that starts on local day `dayNumber`, if one does. */
export function windowStartingOn(layer: Layer, dayNumber: number): EpochInterval | null {
  const facts = factsOf(layer);
  if (!facts.startsOnWeekday[weekdayIndexOfDay(dayNumber)]) return null;
  const start = wallToEpochMs(dayNumber * MS_PER_DAY + facts.fromMs, layer.timeZone);
  const end = wallToEpochMs((dayNumber + facts.endDayOffset) * MS_PER_DAY + facts.toMs, layer.timeZone);
  return { start, end };
}

/** The coverage window containing `epochMs`, if the layer is on duty then. */
export function windowAt(layer: Layer, epochMs: number, localDay: number): EpochInterval | null {
  // A window containing the instant started today or, crossing midnight, yesterday.
  for (const day of [localDay, localDay - 1]) {
    const window = windowStartingOn(layer, day);
    if (window && window.start <= epochMs && epochMs < window.end) return window;
  }
  return null;
}

/** Who a layer puts on duty at an instant, and the bounds of that person's shift. */
export interface LayerShift {
  readonly userId: string;
  readonly rotationIndex: number;
  /** Later of the window's start and the last handoff. */
  readonly start: number;
  /** Earlier of the window's end and the next handoff. */
  readonly end: number;
}

/** The layer's shift at `epochMs`, or null if it is off duty or its rotation has not started. */
export function layerShiftAt(layer: Layer, epochMs: number): LayerShift | null {
  const members = layer.rotation.members;
  if (members.length === 0) return null;
  const localDay = localDayNumberOf(epochMs, layer.timeZone);
  const window = windowAt(layer, epochMs, localDay);
  if (!window) return null;
  const rotationIndex = rotationIndexAt(layer, epochMs, localDay);
  if (rotationIndex < 0) return null; // before `starts` the rotation has nobody
  return {
    userId: members[rotationIndex % members.length] as string,
    rotationIndex,
    start: Math.max(window.start, handoffEpochMs(layer, rotationIndex)),
    end: Math.min(window.end, handoffEpochMs(layer, rotationIndex + 1)),
  };
}

/**
 * Every instant in `(from, to)` at which the layer might change who it puts on duty: window
 * starts and ends, and handoffs. Unsorted; may repeat.
 */
export function layerBoundariesBetween(layer: Layer, from: number, to: number): number[] {
  const facts = factsOf(layer);
  const firstDay = localDayNumberOf(from, layer.timeZone) - 1;
  const lastDay = localDayNumberOf(to, layer.timeZone) + 1;
  const boundaries: number[] = [];
  const keep = (instant: number): void => {
    if (instant > from && instant < to) boundaries.push(instant);
  };
  for (let day = firstDay; day <= lastDay; day += 1) {
    const window = windowStartingOn(layer, day);
    if (window) {
      keep(window.start);
      keep(window.end);
    }
    const sinceStart = day - facts.startsDay;
    if (sinceStart >= 0 && sinceStart % facts.periodDays === 0) {
      keep(handoffEpochMs(layer, sinceStart / facts.periodDays));
    }
  }
  return boundaries;
}
