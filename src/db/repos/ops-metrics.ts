import { and, count, eq, lt } from 'drizzle-orm';
import type { Db } from '../client.js';
import { incidents, pages, scheduledActions } from '../schema/index.js';

/** What /metrics reads from Postgres at each scrape: the same answer from every replica. */
export interface OpsSample {
  incidents: Array<{ severity: string; category: string; count: number }>;
  pages: Array<{ status: string; count: number }>;
  actionsPending: number;
  /** Pending and more than `overdueAfterMs` past due. */
  actionsOverdue: number;
}

export async function sampleOps(db: Db, now: Date, overdueAfterMs: number): Promise<OpsSample> {
  const [byKind, byStatus, [pending], [overdue]] = await Promise.all([
    db
      .select({ severity: incidents.severity, category: incidents.category, count: count() })
      .from(incidents)
      .groupBy(incidents.severity, incidents.category),
    db.select({ status: pages.status, count: count() }).from(pages).groupBy(pages.status),
    db.select({ count: count() }).from(scheduledActions).where(eq(scheduledActions.status, 'pending')),
    db
      .select({ count: count() })
      .from(scheduledActions)
      .where(and(eq(scheduledActions.status, 'pending'), lt(scheduledActions.dueAt, new Date(now.getTime() - overdueAfterMs)))),
  ]);
  return { incidents: byKind, pages: byStatus, actionsPending: pending?.count ?? 0, actionsOverdue: overdue?.count ?? 0 };
}
