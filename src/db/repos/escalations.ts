import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { escalations, incidents, pages } from '../schema/index.js';
import type { Escalation, Page } from '../../domain/paging.js';
import type { Incident } from './incidents.js';
import type { RowOf } from './row-type.js';

export type { Escalation, Page };
/** An escalations row is an {@link Escalation}; a pages row is a {@link Page}. */
type _EscalationRow = RowOf<Escalation, typeof escalations.$inferSelect>;
type _PageRow = RowOf<Page, typeof pages.$inferSelect>;

export async function insertEscalation(db: Db, row: typeof escalations.$inferInsert): Promise<Escalation> {
  const [created] = await db.insert(escalations).values(row).returning();
  if (!created) throw new Error('insert into escalations returned no row');
  return created;
}

/**
 * The escalation a step runs, locked for the step's transaction, so an acknowledgement waits for
 * a step in flight and a step never pages after an acknowledgement; and its incident, read by
 * the same statement (one round trip instead of two). Only the escalation row is locked: NO KEY
 * UPDATE, as pages inserted on other connections reference it (FOR KEY SHARE) and must not wait.
 */
export async function lockEscalationForStepWithIncident(
  db: Db,
  id: string,
): Promise<{ escalation: Escalation; incident: Incident | undefined } | undefined> {
  const [row] = await db
    .select({ escalation: escalations, incident: incidents })
    .from(escalations)
    .leftJoin(incidents, eq(incidents.id, escalations.incidentId))
    .where(eq(escalations.id, id))
    .for('no key update', { of: escalations });
  return row && { escalation: row.escalation, incident: row.incident ?? undefined };
}

/** The escalation of an incident that is still running, locked for the caller's transaction. */
export async function lockActiveEscalation(db: Db, incidentId: string): Promise<Escalation | undefined> {
  const [row] = await db
    .select()
    .from(escalations)
    .where(and(eq(escalations.incidentId, incidentId), eq(escalations.status, 'active')))
    .for('update');
  return row;
}

export async function latestEscalation(db: Db, incidentId: string): Promise<Escalation | undefined> {
  const [row] = await db
    .select()
    .from(escalations)
    .where(eq(escalations.incidentId, incidentId))
    .orderBy(sql`${escalations.startedAt} desc`)
    .limit(1);
  return row;
}

/**
 * Moves the escalation from step `from` to `to`; false when another run already moved it (a
 * duplicate or stale job), so only one run ever plans the next step.
 */
export async function advanceEscalation(db: Db, id: string, from: number, to: number): Promise<boolean> {
  const rows = await db
    .update(escalations)
    .set({ nextStep: to })
    .where(and(eq(escalations.id, id), eq(escalations.status, 'active'), eq(escalations.nextStep, from)))
    .returning({ id: escalations.id });
  return rows.length === 1;
}

/**
 * {@link advanceEscalation}, then `then` (planning the next step), committed together or not at
 * all; null when another run moved the escalation first. Inside a transaction already (the
 * worker's row lock) both run in it without a savepoint: a failure rolls that whole transaction
 * back anyway, and the savepoint cost two round trips per step.
 */
export async function advanceEscalationThen<T>(
  db: Db,
  move: { id: string; from: number; to: number },
  then: (t: Db) => Promise<T>,
): Promise<T | null> {
  const run = async (t: Db): Promise<T | null> => ((await advanceEscalation(t, move.id, move.from, move.to)) ? then(t) : null);
  return db instanceof PgTransaction ? run(db) : db.transaction(run);
}

export async function endEscalation(
  db: Db,
  id: string,
  patch: { status: Exclude<Escalation['status'], 'active'>; at: Date; acknowledgedBy?: string },
): Promise<void> {
  await db
    .update(escalations)
    .set({
      status: patch.status,
      endedAt: patch.at,
      ...(patch.status === 'acknowledged' ? { acknowledgedAt: patch.at, acknowledgedBy: patch.acknowledgedBy } : {}),
    })
    .where(eq(escalations.id, id));
}

/** Records a page once per (escalation, step, person); returns the row either way. */
export async function insertPageOnce(db: Db, row: typeof pages.$inferInsert): Promise<Page> {
  const [created] = await db.insert(pages).values(row).onConflictDoNothing().returning();
  if (created) return created;
  const [existing] = await db
    .select()
    .from(pages)
    .where(and(eq(pages.escalationId, row.escalationId), eq(pages.stepNumber, row.stepNumber), eq(pages.userId, row.userId)));
  if (!existing) throw new Error('page vanished between conflict and select');
  return existing;
}

export async function findPage(db: Db, id: string): Promise<Page | undefined> {
  const [row] = await db.select().from(pages).where(eq(pages.id, id));
  return row;
}

export async function updatePage(db: Db, id: string, patch: Partial<typeof pages.$inferInsert>): Promise<void> {
  await db.update(pages).set(patch).where(eq(pages.id, id));
}

export async function pagesOfIncident(db: Db, incidentId: string): Promise<Page[]> {
  return db.select().from(pages).where(eq(pages.incidentId, incidentId)).orderBy(asc(pages.pagedAt));
}

/** Delivered pages not yet mentioned in the incident channel, claimed so that only one caller posts each. */
export async function claimUnannouncedPages(db: Db, incidentId: string, at: Date): Promise<Page[]> {
  return db
    .update(pages)
    .set({ announcedAt: at })
    .where(and(eq(pages.incidentId, incidentId), isNull(pages.announcedAt), isNotNull(pages.dmTs)))
    .returning();
}

/** Marks every open page of an escalation with `status`; returns them (for updating their DMs). */
export async function closeOpenPages(
  db: Db,
  escalationId: string,
  status: Extract<Page['status'], 'acknowledged' | 'cancelled'>,
  at: Date,
): Promise<Page[]> {
  return db
    .update(pages)
    .set({ status, ...(status === 'acknowledged' ? { acknowledgedAt: at } : {}) })
    .where(and(eq(pages.escalationId, escalationId), eq(pages.status, 'sent')))
    .returning();
}

/** Open pages addressed to a person, for App Home and "my pages". */
export async function openPagesOfUser(db: Db, userId: string): Promise<Page[]> {
  return db
    .select()
    .from(pages)
    .where(and(eq(pages.userId, userId), inArray(pages.status, ['sent'])))
    .orderBy(asc(pages.pagedAt));
}
