import { cancelClockActions, type StoredClock } from '../../db/repos/clocks.js';
import { planClock } from '../../domain/clocks.js';
import type { Planning } from '../../jobs/plan.js';

/** Writes a running clock's reminders still ahead and its miss, for its current version (ids and numbers only, never incident text). */
export async function planClockActions({ plan }: Pick<Planning, 'plan'>, clock: StoredClock, now: Date): Promise<void> {
  if (clock.state !== 'running') return;
  const schedule = planClock(clock, now);
  const data = { clockId: clock.id, version: clock.version };
  const incident = { incidentId: clock.incidentId };
  for (const r of schedule.reminders) {
    const dedupeKey = `clock:${clock.id}:${clock.version}:remind:${r.beforeMinutes}`;
    await plan('clock-reminder', { ...data, beforeMinutes: r.beforeMinutes }, r.at, { ...incident, dedupeKey });
  }
  await plan('clock-miss', data, schedule.missAt, { ...incident, dedupeKey: `clock:${clock.id}:${clock.version}:miss` });
}

/** Cancels the old plan and writes the new one; the old plan's jobs leave the queue after commit. */
export async function replanClock(planning: Pick<Planning, 'tx' | 'plan' | 'dropJobs'>, clock: StoredClock, now: Date): Promise<void> {
  planning.dropJobs(await cancelClockActions(planning.tx, clock.id, now));
  await planClockActions(planning, clock, now);
}
