/**
 * On-call Slack user groups (`user_group:` on a schedule or on one of its layers): who the group
 * should hold at an instant, and the instants that changes. A Slack user group cannot be emptied,
 * so a gap in coverage leaves it as it was: only changes *to* someone are synced.
 */
import { onCallAt, onCallSegments } from './rotation.js';
import type { Schedule } from './schedule.js';

/** A group kept equal to a schedule's on-call person (`layerName` null) or to one hub's. */
export interface OnCallGroup {
  readonly scheduleId: string;
  /** The layer (hub) whose on-call person the group follows; null: the whole schedule's. */
  readonly layerName: string | null;
  /** Slack user group id (`S…`). */
  readonly groupId: string;
}

/**
 * Who the group should hold at `instant`, or null when nobody (a gap: keep the group as it is).
 * A schedule's group follows {@link onCallAt}. A layer's group follows that hub: its own rotation
 * while it is on duty, and an override that covers the hub's hours (cover for leave is cover in
 * that hub too); outside its coverage, nobody.
 */
export function groupMemberAt(schedule: Schedule, layerName: string | null, instant: Date | number): string | null {
  const onCall = onCallAt(schedule, instant);
  if (layerName === null) return onCall?.userId ?? null;
  const layer = schedule.layers.find((l) => l.name === layerName);
  if (!layer) return null;
  const own = onCallAt({ ...schedule, layers: [layer], overrides: [] }, instant);
  if (own === null) return null;
  return onCall?.reason.kind === 'override' ? onCall.userId : own.userId;
}

/** One instant at which a group must be set to `userId`. */
export interface GroupChange {
  readonly at: Date;
  readonly userId: string;
  /** True when the member has held the group since before `lookback`: `at` is then `lookback`, not a real change. */
  readonly sinceBeforeLookback: boolean;
}

/**
 * Every instant in `[from, to)` at which the group's member changes to someone, plus, first,
 * the change that put the current member there (at or before `from`, looked for back to
 * `lookback`), so a group is synced once for the shift in progress when planning starts.
 */
export function groupChangesBetween(schedule: Schedule, layerName: string | null, lookback: Date, from: Date, to: Date): GroupChange[] {
  const changes: GroupChange[] = [];
  let previous: string | null = null;
  let current: GroupChange | null = null;
  for (const segment of onCallSegments(schedule, lookback, to)) {
    const member = groupMemberAt(schedule, layerName, segment.from);
    // A gap keeps the last member: it is no change, and the member after it is compared with that one.
    if (member === null || member === previous) continue;
    previous = member;
    const change = { at: segment.from, userId: member, sinceBeforeLookback: segment.from.getTime() === lookback.getTime() };
    if (segment.from.getTime() <= from.getTime()) current = change;
    else changes.push(change);
  }
  return current ? [current, ...changes] : changes;
}
