/**
 * The record as leads and analysts read it: rows of the analytics views (migration
 * `analytics_views`), so the CSV export, the digests and a pasted SQL query give the same figures.
 */
import { and, asc, gt, gte, inArray, lt, lte, max, min, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { deadlineOutcomesView, incidentMetricsView, pageLogView } from '../schema/analytics-views.js';
import { incidents } from '../schema/incidents.js';
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

/**
 * The lowest and highest number of the incidents declared in `[from, to)` (null: none), read on
 * the incidents table through its `declared_at` index: the bounds a keyset walk by number needs
 * so that it never filters the incidents declared outside the period (issue 26).
 */
export async function incidentNumberSpanDeclaredBetween(db: Db, from: Date, to: Date): Promise<{ first: number; last: number } | null> {
  const [row] = await db
    .select({ first: min(incidents.number), last: max(incidents.number) })
    .from(incidents)
    .where(and(gte(incidents.declaredAt, from), lt(incidents.declaredAt, to)));
  return row?.first == null || row.last == null ? null : { first: row.first, last: row.last };
}

/**
 * One page of `incidentMetricsDeclaredBetween`: at most `limit` incidents declared in
 * `[from, to)` whose number is above `after` and at most `last`, by number (keyset pagination,
 * so a year is read a page at a time and never held whole; the CSV streams, issue 26).
 */
export async function incidentMetricsPageDeclaredBetween(
  db: Db,
  page: { from: Date; to: Date; after: number; last: number; limit: number },
): Promise<IncidentMetricsRow[]> {
  return db
    .select()
    .from(incidentMetricsView)
    .where(
      and(
        gte(incidentMetricsView.declaredAt, page.from),
        lt(incidentMetricsView.declaredAt, page.to),
        gt(incidentMetricsView.number, page.after),
        lte(incidentMetricsView.number, page.last),
      ),
    )
    .orderBy(asc(incidentMetricsView.number))
    .limit(page.limit);
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
