import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client.js';
import { crisisActivations } from '../schema/index.js';

export type CrisisActivation = typeof crisisActivations.$inferSelect;

/** The incident's protocols still active (not concluded), oldest first. */
export async function activeCrisisProtocols(db: Db, incidentId: string): Promise<CrisisActivation[]> {
  return db
    .select()
    .from(crisisActivations)
    .where(and(eq(crisisActivations.incidentId, incidentId), isNull(crisisActivations.concludedAt)))
    .orderBy(asc(crisisActivations.activatedAt));
}

export async function insertCrisisActivation(db: Db, values: typeof crisisActivations.$inferInsert): Promise<CrisisActivation> {
  const [row] = await db.insert(crisisActivations).values(values).returning();
  if (!row) throw new Error('crisis activation not written');
  return row;
}

/** Concludes an active activation; undefined when it was concluded meanwhile. */
export async function concludeCrisisActivation(db: Db, id: string, at: Date, by: string): Promise<CrisisActivation | undefined> {
  const [row] = await db
    .update(crisisActivations)
    .set({ concludedAt: at, concludedBy: by })
    .where(and(eq(crisisActivations.id, id), isNull(crisisActivations.concludedAt)))
    .returning();
  return row;
}

export async function updateCrisisActivation(
  db: Db,
  id: string,
  patch: Partial<Pick<CrisisActivation, 'hashesContributed' | 'told'>>,
): Promise<void> {
  await db.update(crisisActivations).set(patch).where(eq(crisisActivations.id, id));
}
