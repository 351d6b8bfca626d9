/** Stretches with nobody on call, found ahead of time rather than during an incident. */
import { onCallSegments } from './rotation.js';
import type { Schedule } from './schedule.js';

/** A half-open stretch `[from, to)` of time. */
export interface TimeInterval {
  readonly from: Date;
  readonly to: Date;
}

/**
 * The stretches of `[from, to)` during which {@link onCallAt} finds nobody, merged and in
 * order. A gap running past either end of the range is clipped to it.
 */
export function coverageGaps(schedule: Schedule, from: Date, to: Date): TimeInterval[] {
  const gaps: TimeInterval[] = [];
  for (const segment of onCallSegments(schedule, from, to)) {
    if (segment.onCall) continue;
    const last = gaps[gaps.length - 1];
    if (last && last.to.getTime() === segment.from.getTime()) {
      gaps[gaps.length - 1] = { from: last.from, to: segment.to };
    } else {
      gaps.push({ from: segment.from, to: segment.to });
    }
  }
  return gaps;
}
