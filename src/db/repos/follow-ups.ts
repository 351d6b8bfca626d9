import { and, asc, eq, exists, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { followUps, incidentMembers, incidents, scheduledActions } from '../schema/index.js';
import type { ActionKind } from '../../domain/action-catalog.js';
import type { FollowUp, FollowUpStatus } from '../../domain/follow-ups.js';
import type { RowOf } from './row-type.js';

type FollowUpRow = RowOf<FollowUp, typeof followUps.$inferSelect>;
export type StoredFollowUp = FollowUpRow;
export type NewFollowUp = Omit<typeof followUps.$inferInsert, 'id' | 'number'>;

/** A follow-up with the incident it belongs to, as lists show it. */
export interface ListedFollowUp {
  followUp: StoredFollowUp;
  incident: { id: string; number: number; title: string; isPrivate: boolean; channelId: string | null };
}

/** Inserts one; a submission key seen before returns undefined (Slack retried the same submission). */
export async function insertFollowUp(db: Db, values: NewFollowUp): Promise<StoredFollowUp | undefined> {
  const [row] = await db.insert(followUps).values(values).onConflictDoNothing({ target: followUps.submissionKey }).returning();
  return row;
}

export async function findFollowUp(db: Db, id: string): Promise<StoredFollowUp | undefined> {
  const [row] = await db.select().from(followUps).where(eq(followUps.id, id));
  return row;
}

export async function findFollowUpByNumber(db: Db, number: number): Promise<StoredFollowUp | undefined> {
  const [row] = await db.select().from(followUps).where(eq(followUps.number, number));
  return row;
}

export async function findFollowUpByTrackerKey(db: Db, trackerKey: string): Promise<StoredFollowUp | undefined> {
  const [row] = await db.select().from(followUps).where(eq(followUps.trackerKey, trackerKey)).limit(1);
  return row;
}

export async function findFollowUpBySubmission(db: Db, submissionKey: string): Promise<StoredFollowUp | undefined> {
  const [row] = await db.select().from(followUps).where(eq(followUps.submissionKey, submissionKey));
  return row;
}

export async function followUpsOfIncident(db: Db, incidentId: string): Promise<StoredFollowUp[]> {
  return db.select().from(followUps).where(eq(followUps.incidentId, incidentId)).orderBy(asc(followUps.dueAt), asc(followUps.number));
}

/** Closes it (done or won't do) and bumps the version: every reminder planned before is stale. */
export async function closeFollowUp(
  db: Db,
  id: string,
  change: { status: Exclude<FollowUpStatus, 'open'>; reason: string | null; at: Date },
): Promise<StoredFollowUp | undefined> {
  const [row] = await db
    .update(followUps)
    .set({ status: change.status, reason: change.reason, doneAt: change.at, version: sql`${followUps.version} + 1` })
    .where(and(eq(followUps.id, id), eq(followUps.status, 'open')))
    .returning();
  return row;
}

/** Changes an open one's title, owner, team or due date and bumps the version: reminders planned before are stale. */
export async function editFollowUp(
  db: Db,
  id: string,
  change: Pick<NewFollowUp, 'title' | 'ownerId' | 'teamId' | 'dueAt'> & Partial<Pick<NewFollowUp, 'exportState'>>,
): Promise<StoredFollowUp | undefined> {
  const [row] = await db
    .update(followUps)
    .set({ ...change, version: sql`${followUps.version} + 1` })
    .where(and(eq(followUps.id, id), eq(followUps.status, 'open')))
    .returning();
  return row;
}

export async function setFollowUpExport(
  db: Db,
  id: string,
  patch: Partial<Pick<NewFollowUp, 'exportState' | 'trackerKey' | 'trackerUrl'>>,
): Promise<void> {
  await db.update(followUps).set(patch).where(eq(followUps.id, id));
}

/** Cancels the pending reminders, notice and tracker reads of a follow-up; returns their ids for the queue. */
export async function cancelFollowUpActions(db: Db, followUpId: string, at: Date, kinds: readonly ActionKind[]): Promise<string[]> {
  const unlocked = db
    .select({ id: scheduledActions.id })
    .from(scheduledActions)
    .where(
      and(
        eq(scheduledActions.status, 'pending'),
        inArray(scheduledActions.kind, [...kinds]),
        sql`${scheduledActions.data}->>'followUpId' = ${followUpId}`,
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
 * Follow-ups `viewer` may see, with their incident: of public incidents, of private ones they are
 * a member of (all, for an admin), and those they own. `where` narrows them (mine, a team, overdue).
 */
export async function followUpsVisibleTo(
  db: Db,
  viewer: { userId: string; isAdmin: boolean },
  filter: { ownerId?: string; teamId?: string; openDueBy?: Date; openOnly?: boolean; incidentId?: string },
  limit = 50,
): Promise<ListedFollowUp[]> {
  const member = exists(
    db
      .select({ one: sql`1` })
      .from(incidentMembers)
      .where(and(eq(incidentMembers.incidentId, incidents.id), eq(incidentMembers.userId, viewer.userId))),
  );
  const visible = viewer.isAdmin ? undefined : or(eq(incidents.isPrivate, false), eq(followUps.ownerId, viewer.userId), member);
  const rows = await db
    .select({
      followUp: followUps,
      incident: {
        id: incidents.id,
        number: incidents.number,
        title: incidents.title,
        isPrivate: incidents.isPrivate,
        channelId: incidents.channelId,
      },
    })
    .from(followUps)
    .innerJoin(incidents, eq(incidents.id, followUps.incidentId))
    .where(
      and(
        visible,
        filter.ownerId ? eq(followUps.ownerId, filter.ownerId) : undefined,
        filter.teamId ? eq(followUps.teamId, filter.teamId) : undefined,
        filter.incidentId ? eq(followUps.incidentId, filter.incidentId) : undefined,
        filter.openOnly || filter.openDueBy ? eq(followUps.status, 'open') : undefined,
        filter.openDueBy ? lte(followUps.dueAt, filter.openDueBy) : undefined,
      ),
    )
    .orderBy(sql`case when ${followUps.status} = 'open' then 0 else 1 end`, asc(followUps.dueAt), asc(followUps.number))
    .limit(limit);
  return rows;
}

/** Follow-ups that count in a period: created before its end and not closed before its start. */
export async function followUpsTouching(db: Db, from: Date, to: Date): Promise<StoredFollowUp[]> {
  return db
    .select()
    .from(followUps)
    .where(and(lt(followUps.createdAt, to), or(isNull(followUps.doneAt), gte(followUps.doneAt, from))));
}
