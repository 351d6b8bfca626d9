import type { Db } from '../../db/client.js';
import { cancelClockActions, type StoredClock } from '../../db/repos/clocks.js';
import { insertScheduledActions, type ScheduledAction } from '../../db/repos/scheduled-actions.js';
import { planClock } from '../../domain/clocks.js';

/** What a clock's reminders and miss carry: ids and numbers only, never incident text. */
interface ClockActionData {
  clockId: string;
  version: number;
  beforeMinutes?: number;
}

/** Writes a running clock's reminders still ahead and its miss, for its current version. */
export async function planClockActions(tx: Db, clock: StoredClock, now: Date): Promise<ScheduledAction[]> {
  if (clock.state !== 'running') return [];
  const plan = planClock(clock, now);
  const data = (beforeMinutes?: number): ClockActionData & Record<string, unknown> => ({
    clockId: clock.id,
    version: clock.version,
    ...(beforeMinutes === undefined ? {} : { beforeMinutes }),
  });
  return insertScheduledActions(tx, [
    ...plan.reminders.map((r) => ({
      incidentId: clock.incidentId,
      kind: 'clock-reminder' as const,
      dueAt: r.at,
      data: data(r.beforeMinutes),
      dedupeKey: `clock:${clock.id}:${clock.version}:remind:${r.beforeMinutes}`,
    })),
    {
      incidentId: clock.incidentId,
      kind: 'clock-miss' as const,
      dueAt: plan.missAt,
      data: data(),
      dedupeKey: `clock:${clock.id}:${clock.version}:miss`,
    },
  ]);
}

/** Cancels the old plan and writes the new one; the caller drops `cancelled` from the queue after commit. */
export async function replanClock(tx: Db, clock: StoredClock, now: Date): Promise<{ cancelled: string[]; planned: ScheduledAction[] }> {
  const cancelled = await cancelClockActions(tx, clock.id, now);
  return { cancelled, planned: await planClockActions(tx, clock, now) };
}
