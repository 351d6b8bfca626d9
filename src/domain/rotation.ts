/**
 * Who is on call at an instant, and why: overrides first, then layers in the order listed.
 * A pure function of the schedule and the instant; each layer is read in its own zone.
 */
import { layerBoundariesBetween, layerShiftAt } from './layer-shift.js';
import type { Schedule } from './schedule.js';

/** Why someone is on call. */
export type OnCallReason =
  | { readonly kind: 'override'; readonly overrideIndex: number }
  | {
      readonly kind: 'layer';
      readonly layerName: string;
      readonly timeZone: string;
      /** Later of the coverage window's start and the last handoff. */
      readonly shiftStart: Date;
      /**
       * Earlier of the coverage window's end and the next handoff. This is the layer's own shift:
       * an override or a higher layer may take over before it.
       */
      readonly shiftEnd: Date;
    };

/** The person on call and the reason. */
export interface OnCall {
  readonly userId: string;
  readonly reason: OnCallReason;
}

/**
 * Who is on call for `schedule` at `instant`, or null when nobody covers it.
 *
 * An override covering the instant wins (the first listed if several do); otherwise the first
 * listed layer that is inside a coverage window and whose rotation has started. Cost does not
 * grow with the time since a rotation started.
 */
export function onCallAt(schedule: Schedule, instant: Date | number): OnCall | null {
  const epochMs = typeof instant === 'number' ? instant : instant.getTime();
  const overrideIndex = schedule.overrides.findIndex((override) => override.from.getTime() <= epochMs && epochMs < override.to.getTime());
  const override = schedule.overrides[overrideIndex];
  if (override) return { userId: override.user, reason: { kind: 'override', overrideIndex } };
  for (const layer of schedule.layers) {
    const shift = layerShiftAt(layer, epochMs);
    if (shift) {
      return {
        userId: shift.userId,
        reason: {
          kind: 'layer',
          layerName: layer.name,
          timeZone: layer.timeZone,
          shiftStart: new Date(shift.start),
          shiftEnd: new Date(shift.end),
        },
      };
    }
  }
  return null;
}

/** A stretch of time during which the same answer holds. */
export interface OnCallSegment {
  readonly from: Date;
  readonly to: Date;
  readonly onCall: OnCall | null;
}

/**
 * `[from, to)` cut at every instant where the answer of {@link onCallAt} may change (window
 * edges, handoffs, override edges), with the answer for each piece. Pieces are in order and
 * cover the range exactly; neighbours may hold the same person.
 */
export function onCallSegments(schedule: Schedule, from: Date, to: Date): OnCallSegment[] {
  const start = from.getTime();
  const end = to.getTime();
  if (!(start < end)) return [];
  const cuts = new Set<number>([start, end]);
  for (const layer of schedule.layers) {
    for (const instant of layerBoundariesBetween(layer, start, end)) cuts.add(instant);
  }
  for (const override of schedule.overrides) {
    for (const instant of [override.from.getTime(), override.to.getTime()]) {
      if (instant > start && instant < end) cuts.add(instant);
    }
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const segments: OnCallSegment[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 1) {
    const segmentStart = sorted[i] as number;
    segments.push({
      from: new Date(segmentStart),
      to: new Date(sorted[i + 1] as number),
      onCall: onCallAt(schedule, segmentStart),
    });
  }
  return segments;
}
