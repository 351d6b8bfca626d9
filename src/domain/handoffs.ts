/** Changes of the on-call person between two instants, for handoff notices. */
import { onCallSegments, type OnCall } from './rotation.js';
import type { Schedule } from './schedule.js';

/** One change of the on-call person. */
export interface Handoff {
  readonly at: Date;
  /**
   * The layer taking over, or when nobody takes over (a gap, an override) the layer handing
   * over; null only between overrides and gaps.
   */
  readonly layerName: string | null;
  /** That layer's zone, for rendering the handoff in local time; null with `layerName`. */
  readonly timeZone: string | null;
  /** Null when the change ends a gap in coverage. */
  readonly fromUser: string | null;
  /** Null when the change starts a gap in coverage. */
  readonly toUser: string | null;
}

function layerOf(onCall: OnCall | null): { layerName: string; timeZone: string } | null {
  if (onCall?.reason.kind !== 'layer') return null;
  return { layerName: onCall.reason.layerName, timeZone: onCall.reason.timeZone };
}

/**
 * Every change of the on-call person at an instant in `[from, to)`, in order: handoffs within a
 * rotation, coverage windows starting or ending, overrides starting or ending. A boundary where
 * the same person stays on call (say, one layer's window ends as another's starts with the
 * same member) is not a handoff.
 */
export function handoffsBetween(schedule: Schedule, from: Date, to: Date): Handoff[] {
  // Start a millisecond early so a change exactly at `from` is seen as a change.
  const segments = onCallSegments(schedule, new Date(from.getTime() - 1), to);
  const handoffs: Handoff[] = [];
  let previous = segments[0]?.onCall ?? null;
  for (const segment of segments.slice(1)) {
    const fromUser = previous?.userId ?? null;
    const toUser = segment.onCall?.userId ?? null;
    if (fromUser !== toUser) {
      const layer = layerOf(segment.onCall) ?? layerOf(previous);
      handoffs.push({
        at: segment.from,
        layerName: layer?.layerName ?? null,
        timeZone: layer?.timeZone ?? null,
        fromUser,
        toUser,
      });
    }
    previous = segment.onCall;
  }
  return handoffs;
}
