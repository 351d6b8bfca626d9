/**
 * The record as leads and analysts read it: rows of the analytics views (migration
 * `analytics_views`), so the CSV export, the digests and a pasted SQL query give the same figures.
 */
import { and, asc, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { deadlineOutcomesView, incidentMetricsView, pageLogView } from '../schema/analytics-views.js';
import { chunksOf } from './incidents.js';

export type IncidentMetricsRow = typeof incidentMetricsView.$inferSelect;
export type PageLogRow = typeof pageLogView.$inferSelect;
export type DeadlineOutcomeRow = typeof deadlineOutcomesView.$inferSelect;

/** Incidents declared in `[from, to)`, by number. */
export async function incidentMetricsDeclaredBetween(db: Db, from: Date, to: Date): Promise<IncidentMetricsRow[]> {
  // Sorted here, not by `order by number`: with it, Postgres walked the whole number index to skip
  // the sort and filtered every incident ever declared (issue 26), instead of the period's range.
  const rows = await db
    .select()
    .from(incidentMetricsView)
    .where(and(gte(incidentMetricsView.declaredAt, from), lt(incidentMetricsView.declaredAt, to)));
  return rows.sort((a, b) => a.number - b.number);
}

/** Incidents still open (investigating or mitigated) declared before `before`, oldest first. */
export async function openIncidentMetricsDeclaredBefore(db: Db, before: Date): Promise<IncidentMetricsRow[]> {
  return db
    .select()
    .from(incidentMetricsView)
    .where(and(lt(incidentMetricsView.declaredAt, before), sql`${incidentMetricsView.status} in ('investigating','mitigated')`))
    .orderBy(asc(incidentMetricsView.declaredAt));
}

/** Pages sent in `[from, to)`, oldest first. */
export async function pagesBetween(db: Db, from: Date, to: Date): Promise<PageLogRow[]> {
  return db
    .select()
    .from(pageLogView)
    .where(and(gte(pageLogView.pagedAt, from), lt(pageLogView.pagedAt, to)))
    .orderBy(asc(pageLogView.pagedAt));
}

/** Clocks due in `[from, to)`: the ones whose outcome belongs to that period. */
export async function deadlinesDueBetween(db: Db, from: Date, to: Date): Promise<DeadlineOutcomeRow[]> {
  return db
    .select()
    .from(deadlineOutcomesView)
    .where(and(gte(deadlineOutcomesView.dueAt, from), lt(deadlineOutcomesView.dueAt, to)))
    .orderBy(asc(deadlineOutcomesView.dueAt));
}

/** Every clock of these incidents, whatever its due time: the CSV counts them per incident. */
export async function deadlinesOfIncidents(db: Db, incidentIds: readonly string[]): Promise<DeadlineOutcomeRow[]> {
  const rows: DeadlineOutcomeRow[] = [];
  for (const ids of chunksOf(incidentIds)) {
    rows.push(...(await db.select().from(deadlineOutcomesView).where(inArray(deadlineOutcomesView.incidentId, ids))));
  }
  return rows;
}
