import { and, eq, gt, inArray, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../client.js';
import { dutyHolds, incidentClocks, incidents, legalHolds } from '../schema/index.js';
import type { HoldClock, ManualHoldRow, StoredDutyHold } from '../../domain/retention.js';

export type NewLegalHold = Pick<typeof legalHolds.$inferInsert, 'incidentId' | 'reason' | 'heldBy' | 'heldAt' | 'until'>;

export async function insertLegalHold(db: Db, hold: NewLegalHold): Promise<void> {
  await db.insert(legalHolds).values(hold);
}

/** The incident's manual holds still in force at `now`. */
export async function manualHoldsOf(db: Db, incidentId: string, now: Date): Promise<ManualHoldRow[]> {
  return db
    .select({
      reason: legalHolds.reason,
      heldBy: legalHolds.heldBy,
      heldAt: legalHolds.heldAt,
      until: legalHolds.until,
      releasedAt: legalHolds.releasedAt,
    })
    .from(legalHolds)
    .where(
      and(eq(legalHolds.incidentId, incidentId), isNull(legalHolds.releasedAt), or(isNull(legalHolds.until), gt(legalHolds.until, now))),
    );
}

/** The clocks of the given kinds on the incident: the starts of its duty holds. */
export async function holdClocksOf(db: Db, incidentId: string, kindIds: readonly string[]): Promise<HoldClock[]> {
  if (kindIds.length === 0) return [];
  return db
    .select({
      id: incidentClocks.id,
      kindId: incidentClocks.kindId,
      startedAt: incidentClocks.startedAt,
      respondedAt: incidentClocks.respondedAt,
    })
    .from(incidentClocks)
    .where(and(eq(incidentClocks.incidentId, incidentId), inArray(incidentClocks.kindId, [...kindIds])));
}

/** Releases the incident's manual holds in force; how many. */
export async function releaseLegalHolds(db: Db, incidentId: string, by: { userId: string; at: Date; reason: string }): Promise<number> {
  const rows = await db
    .update(legalHolds)
    .set({ releasedAt: by.at, releasedBy: by.userId, releaseReason: by.reason })
    .where(
      and(eq(legalHolds.incidentId, incidentId), isNull(legalHolds.releasedAt), or(isNull(legalHolds.until), gt(legalHolds.until, by.at))),
    )
    .returning({ id: legalHolds.id });
  return rows.length;
}

/** Incidents that have a manual hold in force, or a clock of a duty kind (the caller decides whether it still holds). */
export async function incidentsMaybeHeld(
  db: Db,
  kindIds: readonly string[],
  now: Date,
): Promise<Array<{ id: string; number: number; title: string; isPrivate: boolean }>> {
  const manual = db
    .select({ id: legalHolds.incidentId })
    .from(legalHolds)
    .where(and(isNull(legalHolds.releasedAt), or(isNull(legalHolds.until), gt(legalHolds.until, now))));
  const byDuty = db.select({ id: dutyHolds.incidentId }).from(dutyHolds).where(gt(dutyHolds.until, now));
  const byClock = kindIds.length
    ? db
        .select({ id: incidentClocks.incidentId })
        .from(incidentClocks)
        .where(and(isNotNull(incidentClocks.kindId), inArray(incidentClocks.kindId, [...kindIds])))
    : undefined;
  return db
    .select({ id: incidents.id, number: incidents.number, title: incidents.title, isPrivate: incidents.isPrivate })
    .from(incidents)
    .where(or(inArray(incidents.id, manual), inArray(incidents.id, byDuty), ...(byClock ? [inArray(incidents.id, byClock)] : [])))
    .orderBy(incidents.number);
}

/** The incident's stored duty holds still in force at `now`. */
export async function dutyHoldsOf(db: Db, incidentId: string, now: Date): Promise<StoredDutyHold[]> {
  return db
    .select({ clockId: dutyHolds.clockId, source: dutyHolds.source, since: dutyHolds.since, until: dutyHolds.until })
    .from(dutyHolds)
    .where(and(eq(dutyHolds.incidentId, incidentId), gt(dutyHolds.until, now)));
}

/** Writes the clock's duty hold, or moves its end later (never earlier); whether it was new. */
export async function keepDutyHoldRow(db: Db, row: Omit<typeof dutyHolds.$inferInsert, 'id' | 'createdAt'>): Promise<boolean> {
  const [inserted] = await db
    .insert(dutyHolds)
    .values(row)
    .onConflictDoNothing({ target: dutyHolds.clockId })
    .returning({ id: dutyHolds.id });
  if (inserted) return true;
  await db
    .update(dutyHolds)
    .set({ until: row.until })
    .where(and(eq(dutyHolds.clockId, row.clockId), lt(dutyHolds.until, row.until)));
  return false;
}
