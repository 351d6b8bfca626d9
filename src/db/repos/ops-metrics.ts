import { and, count, eq, lt } from 'drizzle-orm';
import type { Db } from '../client.js';
import { incidents, pages, scheduledActions } from '../schema/index.js';

/** What /metrics reads from Postgres at each scrape: the same answer from every replica. */
export interface OpsSample {
  /** By the severity each was declared at: lowering one never takes it out of its count. */
  incidents: Array<{ severity: string; category: string; count: number }>;
  /** By the worst severity each reached. */
  incidentsByPeak: Array<{ severity: string; category: string; count: number }>;
  pages: Array<{ status: string; count: number }>;
  actionsPending: number;
  /** Pending and more than `overdueAfterMs` past due. */
  actionsOverdue: number;
}

export async function sampleOps(db: Db, now: Date, overdueAfterMs: number): Promise<OpsSample> {
  const [byKind, byPeak, byStatus, [pending], [overdue]] = await Promise.all([
    db
      .select({ severity: incidents.declaredSeverity, category: incidents.category, count: count() })
      .from(incidents)
      .groupBy(incidents.declaredSeverity, incidents.category),
    db
      .select({ severity: incidents.peakSeverity, category: incidents.category, count: count() })
      .from(incidents)
      .groupBy(incidents.peakSeverity, incidents.category),
    db.select({ status: pages.status, count: count() }).from(pages).groupBy(pages.status),
    db.select({ count: count() }).from(scheduledActions).where(eq(scheduledActions.status, 'pending')),
    db
      .select({ count: count() })
      .from(scheduledActions)
      .where(and(eq(scheduledActions.status, 'pending'), lt(scheduledActions.dueAt, new Date(now.getTime() - overdueAfterMs)))),
  ]);
  return {
    incidents: byKind,
    incidentsByPeak: byPeak,
    pages: byStatus,
    actionsPending: pending?.count ?? 0,
    actionsOverdue: overdue?.count ?? 0,
  };
}
