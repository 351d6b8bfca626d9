import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { incidentClocks, incidentMembers, incidents, scheduledActions, timelineEntries } from '../schema/index.js';
import type { IncidentClock } from '../../domain/clocks.js';
import type { Incident } from './incidents.js';
import type { RowOf } from './row-type.js';

type ClockRow = RowOf<IncidentClock, typeof incidentClocks.$inferSelect>;
export type StoredClock = ClockRow;
export type NewClock = Omit<typeof incidentClocks.$inferInsert, 'id' | 'createdAt'>;
export type ClockPatch = Partial<Omit<NewClock, 'incidentId'>>;

const OPEN_STATES = ['running', 'paused'] as const;

/** Inserts a clock, or replaces the one with the same label (moving it); returns the row. */
export async function upsertClock(db: Db, values: NewClock): Promise<StoredClock> {
  const [row] = await db
    .insert(incidentClocks)
    .values(values)
    .onConflictDoUpdate({
      target: [incidentClocks.incidentId, incidentClocks.label],
      set: { ...values, version: sql`${incidentClocks.version} + 1` },
    })
    .returning();
  if (!row) throw new Error('clock not written');
  return row;
}

export async function clocksOfIncident(db: Db, incidentId: string): Promise<StoredClock[]> {
  return db.select().from(incidentClocks).where(eq(incidentClocks.incidentId, incidentId)).orderBy(asc(incidentClocks.dueAt));
}

/** The clocks of these incidents that still ask for an answer (running, paused, missed unanswered), soonest first. */
export async function pendingClocksOf(db: Db, incidentIds: readonly string[]): Promise<StoredClock[]> {
  if (incidentIds.length === 0) return [];
  return db
    .select()
    .from(incidentClocks)
    .where(
      and(
        inArray(incidentClocks.incidentId, [...incidentIds]),
        sql`(${incidentClocks.state} in ('running', 'paused') or (${incidentClocks.state} = 'missed' and ${incidentClocks.respondedAt} is null))`,
      ),
    )
    .orderBy(asc(incidentClocks.dueAt));
}

export async function findClock(db: Db, id: string): Promise<StoredClock | undefined> {
  const [row] = await db.select().from(incidentClocks).where(eq(incidentClocks.id, id));
  return row;
}

/** Locks the clock so two changes (a move and a miss) are taken one at a time. */
export async function lockClock(db: Db, id: string): Promise<StoredClock | undefined> {
  const [row] = await db.select().from(incidentClocks).where(eq(incidentClocks.id, id)).for('update');
  return row;
}

/** Applies a change and bumps the version, so every reminder planned before it is stale. */
export async function updateClock(db: Db, id: string, patch: ClockPatch): Promise<StoredClock> {
  const [row] = await db
    .update(incidentClocks)
    .set({ ...patch, version: sql`${incidentClocks.version} + 1` })
    .where(eq(incidentClocks.id, id))
    .returning();
  if (!row) throw new Error('clock not found');
  return row;
}

/** Records what a miss has told, without changing the version (the miss is still that version's). */
export async function recordMissProgress(db: Db, id: string, progress: StoredClock['missProgress']): Promise<void> {
  await db.update(incidentClocks).set({ missProgress: progress }).where(eq(incidentClocks.id, id));
}

/** Marks a running clock of `version` missed; false when it changed meanwhile. */
export async function markClockMissed(db: Db, id: string, version: number, at: Date): Promise<boolean> {
  const rows = await db
    .update(incidentClocks)
    .set({ state: 'missed', missedAt: at })
    .where(and(eq(incidentClocks.id, id), eq(incidentClocks.version, version), eq(incidentClocks.state, 'running')))
    .returning({ id: incidentClocks.id });
  return rows.length > 0;
}

export async function deleteClock(db: Db, id: string): Promise<void> {
  await db.delete(incidentClocks).where(eq(incidentClocks.id, id));
}

/**
 * Cancels the pending reminders and miss of one clock; returns their ids (to drop from the
 * queue). A row being run right now is skipped: its handler re-checks the clock's version.
 */
export async function cancelClockActions(db: Db, clockId: string, at: Date): Promise<string[]> {
  const unlocked = db
    .select({ id: scheduledActions.id })
    .from(scheduledActions)
    .where(
      and(
        eq(scheduledActions.status, 'pending'),
        inArray(scheduledActions.kind, ['clock-reminder', 'clock-miss']),
        sql`${scheduledActions.data}->>'clockId' = ${clockId}`,
      ),
    )
    .for('update', { skipLocked: true });
  const rows = await db
    .update(scheduledActions)
    .set({ status: 'cancelled', finishedAt: at })
    .where(inArray(scheduledActions.id, unlocked))
    .returning({ id: scheduledActions.id });
  return rows.map((r) => r.id);
}

/** Open clocks of open incidents `userId` may see (private ones only to members), soonest first. */
export async function openClocksVisibleTo(
  db: Db,
  teamId: string,
  userId: string,
  isAdmin: boolean,
  limit = 50,
): Promise<{ rows: Array<{ clock: StoredClock; incident: Incident }>; total: number }> {
  const member = db
    .select({ id: incidentMembers.incidentId })
    .from(incidentMembers)
    .where(and(eq(incidentMembers.incidentId, incidents.id), eq(incidentMembers.userId, userId)));
  const visibleOpen = and(
    eq(incidents.teamId, teamId),
    inArray(incidents.status, ['investigating', 'mitigated']),
    inArray(incidentClocks.state, [...OPEN_STATES]),
    isAdmin ? undefined : sql`(${incidents.isPrivate} = false or exists ${member})`,
  );
  const rows = await db
    .select({ clock: incidentClocks, incident: incidents })
    .from(incidentClocks)
    .innerJoin(incidents, eq(incidents.id, incidentClocks.incidentId))
    .where(visibleOpen)
    .orderBy(asc(incidentClocks.dueAt))
    .limit(limit);
  const [all] = await db
    .select({ total: count() })
    .from(incidentClocks)
    .innerJoin(incidents, eq(incidents.id, incidentClocks.incidentId))
    .where(visibleOpen);
  return { rows, total: all?.total ?? rows.length };
}

/** Whether the clock's miss was acknowledged already (its timeline entry). Call with the clock locked. */
export async function missAcknowledged(db: Db, incidentId: string, clockId: string): Promise<boolean> {
  const rows = await db
    .select({ id: timelineEntries.id })
    .from(timelineEntries)
    .where(
      and(
        eq(timelineEntries.incidentId, incidentId),
        eq(timelineEntries.kind, 'clock_miss_acknowledged'),
        sql`${timelineEntries.data} ->> 'clockId' = ${clockId}`,
      ),
    )
    .limit(1);
  return rows.length > 0;
}
