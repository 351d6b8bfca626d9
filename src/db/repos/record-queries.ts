/**
 * The record as leads and analysts read it: rows of the analytics views (migration
 * `analytics_views`), so the CSV export, the digests and a pasted SQL query give the same figures.
 */
import { and, asc, count, eq, gt, gte, inArray, lt, lte, max, min, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { deadlineOutcomesView, incidentMetricsView, pageLogView, responderHubsView } from '../schema/analytics-views.js';
import { incidents, pages } from '../schema/index.js';
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

export type DigestIncidentRow = Pick<
  IncidentMetricsRow,
  | 'number'
  | 'title'
  | 'private'
  | 'severity'
  | 'declaredSeverity'
  | 'peakSeverity'
  | 'category'
  | 'status'
  | 'declaredAt'
  | 'resolvedAt'
  | 'timeToAcknowledgeS'
  | 'timeToMitigateS'
  | 'timeToResolveS'
  | 'hub'
>;

/** Whole seconds from `from` to `to`, never negative; null without `to` (as `incident_metrics` computes them). */
const secondsBetween = (from: SQL, to: SQL) =>
  sql`case when ${to} is not null then floor(greatest(0, extract(epoch from ${to} - ${from})))::bigint end`;

/**
 * Incidents declared in `[from, to)` as the digest reads them (the columns of `incident_metrics`
 * it uses, computed as the view computes them), in no order. Set-based: the view joins each row to
 * its first acknowledgement, first page and first clock one row at a time, which cost 1.5 s of
 * Postgres for a year of 100,000 incidents (issue 26); here the period's pages are grouped once.
 * The integration test `record-plans` checks these rows equal the view's.
 */
export async function digestIncidentsDeclaredBetween(db: Db, from: Date, to: Date): Promise<DigestIncidentRow[]> {
  const inPeriod = and(gte(incidents.declaredAt, from), lt(incidents.declaredAt, to));
  // `= any(array(...))`: the period's ids computed once, then an index condition on each table of
  // pages (a semi-join let the planner merge-join over the whole pages index on a small table).
  const periodIds = sql`array(${db.select({ id: incidents.id }).from(incidents).where(inPeriod)})`;
  const firstAck = db
    .select({ incidentId: pages.incidentId, at: sql`min(${pages.acknowledgedAt})`.as('first_acknowledged_at') })
    .from(pages)
    .where(sql`${pages.incidentId} = any(${periodIds})`)
    .groupBy(pages.incidentId)
    .as('fa');
  const firstPage = db
    .selectDistinctOn([pageLogView.incidentId], { incidentId: pageLogView.incidentId, layer: pageLogView.layer })
    .from(pageLogView)
    .where(
      // Both sides of the view's own join to incidents bounded (the same incidents by id and by number).
      and(
        sql`${pageLogView.incidentId} = any(${periodIds})`,
        sql`${pageLogView.incidentNumber} = any(array(${db.select({ n: incidents.number }).from(incidents).where(inPeriod)}))`,
      ),
    )
    .orderBy(pageLogView.incidentId, pageLogView.pagedAt, pageLogView.stepNumber, pageLogView.userId)
    .as('fp');
  const acknowledgedAt = sql`coalesce(${incidents.acknowledgedAt}, ${firstAck.at})`;
  const mitigatedAt = sql`coalesce(${incidents.mitigatedAt}, ${incidents.resolvedAt})`;
  const declaredAt = sql`${incidents.declaredAt}`;
  return db
    .select({
      number: incidents.number,
      title: sql<string>`case when ${incidents.isPrivate} then '(private)' else ${incidents.title} end`,
      private: incidents.isPrivate,
      severity: incidents.severity,
      declaredSeverity: incidents.declaredSeverity,
      peakSeverity: incidents.peakSeverity,
      category: incidents.category,
      status: incidents.status,
      declaredAt: incidents.declaredAt,
      resolvedAt: incidents.resolvedAt,
      timeToAcknowledgeS: secondsBetween(declaredAt, acknowledgedAt).mapWith(incidentMetricsView.timeToAcknowledgeS),
      timeToMitigateS: secondsBetween(declaredAt, mitigatedAt).mapWith(incidentMetricsView.timeToMitigateS),
      timeToResolveS: secondsBetween(declaredAt, sql`${incidents.resolvedAt}`).mapWith(incidentMetricsView.timeToResolveS),
      hub: sql<string | null>`coalesce(${firstPage.layer}, ${responderHubsView.hub})`,
    })
    .from(incidents)
    .leftJoin(firstAck, eq(firstAck.incidentId, incidents.id))
    .leftJoin(firstPage, eq(firstPage.incidentId, incidents.id))
    .leftJoin(responderHubsView, eq(responderHubsView.userId, incidents.declaredBy))
    .where(inPeriod);
}

/** How many incidents were declared in `[from, to)` (one row each in `incident_metrics`). */
export async function countIncidentsDeclaredBetween(db: Db, from: Date, to: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(incidents)
    .where(and(gte(incidents.declaredAt, from), lt(incidents.declaredAt, to)));
  return row?.n ?? 0;
}

/** Pages sent in `[from, to)`, oldest first: what the digest reads of each. */
export async function pagesBetween(db: Db, from: Date, to: Date): Promise<Pick<PageLogRow, 'userId' | 'pagedAt' | 'layer' | 'timeZone'>[]> {
  return db
    .select({ userId: pageLogView.userId, pagedAt: pageLogView.pagedAt, layer: pageLogView.layer, timeZone: pageLogView.timeZone })
    .from(pageLogView)
    .where(and(gte(pageLogView.pagedAt, from), lt(pageLogView.pagedAt, to)))
    .orderBy(asc(pageLogView.pagedAt));
}

/**
 * Clocks due in `[from, to)` (the ones whose outcome belongs to that period), counted per kind,
 * name and outcome: the digest only counts them, and a year holds 150,000 (issue 26). Ordered
 * by each group's first due clock, as the rows were by due time.
 */
export async function deadlineCountsDueBetween(
  db: Db,
  from: Date,
  to: Date,
): Promise<{ kindId: string | null; name: string; met: boolean | null; count: number }[]> {
  return (
    db
      .select({ kindId: deadlineOutcomesView.kindId, name: deadlineOutcomesView.name, met: deadlineOutcomesView.met, count: count() })
      .from(deadlineOutcomesView)
      .where(and(gte(deadlineOutcomesView.dueAt, from), lt(deadlineOutcomesView.dueAt, to)))
      .groupBy(deadlineOutcomesView.kindId, deadlineOutcomesView.name, deadlineOutcomesView.met)
      // Groups in the order of their first clock due, so a kind's name is read where a row per clock read it.
      .orderBy(sql`min(${deadlineOutcomesView.dueAt})`)
  );
}

/** Every clock of these incidents, whatever its due time: the CSV counts them per incident. */
export async function deadlinesOfIncidents(db: Db, incidentIds: readonly string[]): Promise<DeadlineOutcomeRow[]> {
  const rows: DeadlineOutcomeRow[] = [];
  for (const ids of chunksOf(incidentIds)) {
    rows.push(...(await db.select().from(deadlineOutcomesView).where(inArray(deadlineOutcomesView.incidentId, ids))));
  }
  return rows;
}
