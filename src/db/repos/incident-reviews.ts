import { eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { incidentReviews } from '../schema/index.js';

export type IncidentReview = typeof incidentReviews.$inferSelect;

export async function findIncidentReview(db: Db, incidentId: string): Promise<IncidentReview | undefined> {
  const [row] = await db.select().from(incidentReviews).where(eq(incidentReviews.incidentId, incidentId));
  return row;
}

/** The incident's review row, made with `values` the first time; an existing one is returned as it is. */
export async function ensureIncidentReview(
  db: Db,
  values: { incidentId: string; template: string | null; ownerId: string; at: Date },
): Promise<IncidentReview> {
  await db
    .insert(incidentReviews)
    .values({
      incidentId: values.incidentId,
      template: values.template,
      ownerId: values.ownerId,
      markdown: '',
      createdAt: values.at,
      updatedAt: values.at,
    })
    .onConflictDoNothing();
  const row = await findIncidentReview(db, values.incidentId);
  if (!row) throw new Error('the review row vanished');
  return row;
}

export async function updateIncidentReview(
  db: Db,
  incidentId: string,
  patch: Partial<Pick<IncidentReview, 'status' | 'dueAt' | 'canvasId' | 'markdown' | 'ownerId'>> & { updatedAt: Date },
): Promise<void> {
  await db.update(incidentReviews).set(patch).where(eq(incidentReviews.incidentId, incidentId));
}
