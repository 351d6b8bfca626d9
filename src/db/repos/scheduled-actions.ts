import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { scheduledActions } from '../schema/index.js';
import type { ActionKind } from '../../domain/scheduled-action.js';

export type ScheduledAction = typeof scheduledActions.$inferSelect;
export type NewScheduledAction = Pick<
  typeof scheduledActions.$inferInsert,
  'incidentId' | 'kind' | 'dueAt' | 'data' | 'dedupeKey' | 'teamId' | 'enterpriseId'
>;

/** Row ids double as BullMQ job ids, which must not contain a colon. */
export function newScheduledActionId(): string {
  return `sa-${randomUUID()}`;
}

export async function insertScheduledActions(db: Db, rows: readonly NewScheduledAction[]): Promise<ScheduledAction[]> {
  if (rows.length === 0) return [];
  return (
    db
      .insert(scheduledActions)
      .values(rows.map((r) => ({ ...r, id: newScheduledActionId() })))
      // A row whose dedupe key exists already is planned: skip it, return only the new ones.
      .onConflictDoNothing()
      .returning()
  );
}

/**
 * Locks a pending row for the caller's transaction. Undefined when the row is not pending, or
 * another worker holds it (SKIP LOCKED: a duplicate delivery must not wait and then act twice).
 */
export async function lockPendingAction(tx: Db, id: string): Promise<ScheduledAction | 'locked' | undefined> {
  const [row] = await tx.select().from(scheduledActions).where(eq(scheduledActions.id, id)).for('update', { skipLocked: true });
  if (row) return row.status === 'pending' ? row : undefined;
  const [exists] = await tx.select({ status: scheduledActions.status }).from(scheduledActions).where(eq(scheduledActions.id, id));
  return exists?.status === 'pending' ? 'locked' : undefined;
}

export async function finishAction(db: Db, id: string, status: 'done' | 'skipped' | 'cancelled', at: Date): Promise<void> {
  await db.update(scheduledActions).set({ status, finishedAt: at }).where(eq(scheduledActions.id, id));
}

/** A row that can never run (its data does not fit its kind): failed for good, with why. */
export async function failAction(db: Db, id: string, error: string, at: Date): Promise<void> {
  await db
    .update(scheduledActions)
    .set({ status: 'failed', attempts: sql`${scheduledActions.attempts} + 1`, lastError: error.slice(0, 500), finishedAt: at })
    .where(and(eq(scheduledActions.id, id), eq(scheduledActions.status, 'pending')));
}

export async function recordActionFailure(db: Db, id: string, error: string): Promise<number> {
  const [row] = await db
    .update(scheduledActions)
    .set({ attempts: sql`${scheduledActions.attempts} + 1`, lastError: error.slice(0, 500) })
    .where(eq(scheduledActions.id, id))
    .returning({ attempts: scheduledActions.attempts });
  return row?.attempts ?? 0;
}

/**
 * Pending rows due up to `before` (all pending rows when omitted), soonest first, a page at a
 * time: pass the last row of a page as `after` for the next.
 */
export async function listPendingActions(
  db: Db,
  opts: { before?: Date; limit: number; after?: Pick<ScheduledAction, 'dueAt' | 'id'> },
): Promise<ScheduledAction[]> {
  const after = opts.after
    ? or(
        gt(scheduledActions.dueAt, opts.after.dueAt),
        and(eq(scheduledActions.dueAt, opts.after.dueAt), gt(scheduledActions.id, opts.after.id)),
      )
    : undefined;
  return db
    .select()
    .from(scheduledActions)
    .where(and(eq(scheduledActions.status, 'pending'), opts.before ? lte(scheduledActions.dueAt, opts.before) : undefined, after))
    .orderBy(asc(scheduledActions.dueAt), asc(scheduledActions.id))
    .limit(opts.limit);
}

/**
 * Cancels what is still pending for an incident (optionally only some kinds); returns the ids.
 * A row a worker is running right now is skipped rather than waited for: its handler re-checks
 * the incident and escalation under their own lock, and waiting here could deadlock with it.
 */
export async function cancelPendingActions(db: Db, incidentId: string, at: Date, kinds?: readonly ActionKind[]): Promise<string[]> {
  const unlocked = db
    .select({ id: scheduledActions.id })
    .from(scheduledActions)
    .where(
      and(
        eq(scheduledActions.incidentId, incidentId),
        eq(scheduledActions.status, 'pending'),
        kinds ? inArray(scheduledActions.kind, [...kinds]) : undefined,
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

/**
 * Locks the row with this dedupe key for the caller's transaction, without waiting: false when a
 * worker is running it now (the caller tries again later rather than hold a connection while it
 * waits); true when locked, or when there is no such row.
 */
export async function tryLockActionByKey(tx: Db, dedupeKey: string): Promise<boolean> {
  const locked = await tx
    .select({ id: scheduledActions.id })
    .from(scheduledActions)
    .where(eq(scheduledActions.dedupeKey, dedupeKey))
    .for('update', { skipLocked: true });
  if (locked.length > 0) return true;
  const [exists] = await tx.select({ id: scheduledActions.id }).from(scheduledActions).where(eq(scheduledActions.dedupeKey, dedupeKey));
  return exists === undefined;
}

/**
 * The pending row with this dedupe key, due later than `now`, made due `now` (its job must be
 * replaced after commit); undefined when there is none, or a worker is running it already.
 */
export async function bringForward(db: Db, dedupeKey: string, now: Date): Promise<ScheduledAction | undefined> {
  const unlocked = db
    .select({ id: scheduledActions.id })
    .from(scheduledActions)
    .where(and(eq(scheduledActions.dedupeKey, dedupeKey), eq(scheduledActions.status, 'pending'), gt(scheduledActions.dueAt, now)))
    .for('update', { skipLocked: true });
  const [row] = await db.update(scheduledActions).set({ dueAt: now }).where(inArray(scheduledActions.id, unlocked)).returning();
  return row;
}

/** Cancels the pending rows whose dedupe key starts with `prefix`; returns their ids (their jobs are removed after commit). */
export async function cancelPendingByKeyPrefix(db: Db, prefix: string, at: Date): Promise<string[]> {
  const unlocked = db
    .select({ id: scheduledActions.id })
    .from(scheduledActions)
    .where(and(sql`${scheduledActions.dedupeKey} like ${`${prefix.replace(/[\\%_]/g, '\\$&')}%`}`, eq(scheduledActions.status, 'pending')))
    .for('update', { skipLocked: true });
  const rows = await db
    .update(scheduledActions)
    .set({ status: 'cancelled', finishedAt: at })
    .where(inArray(scheduledActions.id, unlocked))
    .returning({ id: scheduledActions.id });
  return rows.map((r) => r.id);
}
