import { and, eq, inArray, isNotNull, lte, ne, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import {
  incidentClocks,
  incidentReviews,
  incidentSearchText,
  incidents,
  intakeReports,
  retentionPurges,
  timelineEntries,
} from '../schema/index.js';

/** A closed (or cancelled) incident whose text has not been purged yet. */
export interface PurgeCandidate {
  id: string;
  number: number;
  category: string;
  closedAt: Date | null;
}

/** Closed and cancelled incidents closed by `closedBy`, not purged yet, oldest first. */
export async function purgeCandidates(db: Db, closedBy: Date, limit: number): Promise<PurgeCandidate[]> {
  const purged = db.select({ id: retentionPurges.incidentId }).from(retentionPurges);
  return db
    .select({ id: incidents.id, number: incidents.number, category: incidents.category, closedAt: incidents.closedAt })
    .from(incidents)
    .where(
      and(
        inArray(incidents.status, ['closed', 'cancelled']),
        isNotNull(incidents.closedAt),
        lte(incidents.closedAt, closedBy),
        notInArray(incidents.id, purged),
      ),
    )
    .orderBy(incidents.closedAt)
    .limit(limit);
}

/**
 * Replaces every text of the incident that people wrote or pasted with `placeholder`: its
 * summaries, mitigation and follow-ups, its timeline entries' text, its clocks' notes, its intake
 * reports' bodies. Facts (times, kinds, severities, who acted, counts, ids) stay. Records the purge.
 */
export async function purgeIncidentText(db: Db, incidentId: string, placeholder: string, at: Date): Promise<Record<string, number>> {
  const incident = await db
    .update(incidents)
    .set({
      summary: sql`case when ${incidents.summary} = '' then '' else ${placeholder} end`,
      resolutionSummary: sql`case when ${incidents.resolutionSummary} is null then null else ${placeholder} end`,
      mitigation: sql`case when ${incidents.mitigation} is null then null else ${placeholder} end`,
      followUps: sql`(select coalesce(jsonb_agg(to_jsonb(${placeholder}::text)), '[]'::jsonb) from jsonb_array_elements(${incidents.followUps}))`,
    })
    .where(eq(incidents.id, incidentId))
    .returning({ id: incidents.id });
  const timeline = await db
    .update(timelineEntries)
    .set({ text: placeholder })
    .where(and(eq(timelineEntries.incidentId, incidentId), ne(timelineEntries.text, placeholder)))
    .returning({ id: timelineEntries.id });
  const clocks = await db
    .update(incidentClocks)
    .set({
      responseNote: sql`case when ${incidentClocks.responseNote} is null then null else ${placeholder} end`,
      pauseReason: sql`case when ${incidentClocks.pauseReason} is null then null else ${placeholder} end`,
    })
    .where(
      and(eq(incidentClocks.incidentId, incidentId), or(isNotNull(incidentClocks.responseNote), isNotNull(incidentClocks.pauseReason))),
    )
    .returning({ id: incidentClocks.id });
  const reports = await db
    .update(intakeReports)
    .set({ summary: placeholder, reporter: null, links: [] })
    .where(eq(intakeReports.incidentId, incidentId))
    .returning({ id: intakeReports.id });
  // What "seen before" compares keeps the title (titles stay); the review kept in the record goes like the rest.
  await db
    .update(incidentSearchText)
    .set({ body: incidentSearchText.title, updatedAt: at })
    .where(eq(incidentSearchText.incidentId, incidentId));
  const reviews = await db
    .update(incidentReviews)
    .set({ markdown: placeholder, updatedAt: at })
    .where(eq(incidentReviews.incidentId, incidentId))
    .returning({ id: incidentReviews.incidentId });
  const counts = {
    ...{ incidents: incident.length, timelineEntries: timeline.length, clocks: clocks.length },
    ...{ intakeReports: reports.length, reviews: reviews.length },
  };
  await db.insert(retentionPurges).values({ incidentId, purgedAt: at, counts }).onConflictDoNothing();
  return counts;
}
