import { and, asc, eq, gte, inArray, isNull, lt } from 'drizzle-orm';
import type { Db } from '../client.js';
import { incidentClocks, intakeReports, orders } from '../schema/index.js';
import type { ActionBasis, AnsweredClock, OrderDetails } from '../../domain/orders.js';
import type { CountedNotice } from '../../domain/transparency.js';
import type { RowOf } from './row-type.js';
import { chunksOf } from './incidents.js';

export type StoredOrder = RowOf<OrderDetails & { id: string; incidentId: string }, typeof orders.$inferSelect>;
export type NewOrder = Omit<typeof orders.$inferInsert, 'id' | 'createdAt'>;

/** Inserts an order; one that came with an intake report already recorded is not inserted twice (undefined). */
export async function insertOrder(db: Db, values: NewOrder): Promise<StoredOrder | undefined> {
  const [row] = await db.insert(orders).values(values).onConflictDoNothing().returning();
  return row;
}

/** Orders received in [from, to), oldest first. */
export async function ordersReceivedBetween(db: Db, from: Date, to: Date): Promise<StoredOrder[]> {
  return db
    .select()
    .from(orders)
    .where(and(gte(orders.receivedAt, from), lt(orders.receivedAt, to)))
    .orderBy(asc(orders.receivedAt), asc(orders.id));
}

/** The answered clocks of these incidents, by incident: where an order's missing times come from. */
export async function answeredClocksOf(db: Db, incidentIds: readonly string[]): Promise<Map<string, AnsweredClock[]>> {
  const byIncident = new Map<string, AnsweredClock[]>();
  if (incidentIds.length === 0) return byIncident;
  for (const ids of chunksOf([...new Set(incidentIds)])) {
    const rows = await db
      .select({ incidentId: incidentClocks.incidentId, kindId: incidentClocks.kindId, respondedAt: incidentClocks.respondedAt })
      .from(incidentClocks)
      .where(inArray(incidentClocks.incidentId, ids));
    for (const row of rows) {
      const list = byIncident.get(row.incidentId);
      if (list) list.push(row);
      else byIncident.set(row.incidentId, [row]);
    }
  }
  return byIncident;
}

/** Intake reports (notices) received in [from, to): type, trusted flagger, arrival and decision. */
export async function noticesReceivedBetween(db: Db, from: Date, to: Date): Promise<CountedNotice[]> {
  const rows = await db
    .select({
      type: intakeReports.category,
      trustedFlagger: intakeReports.priority,
      receivedAt: intakeReports.receivedAt,
      decidedAt: intakeReports.decidedAt,
      status: intakeReports.status,
      actionBasis: intakeReports.actionBasis,
    })
    .from(intakeReports)
    .where(and(gte(intakeReports.receivedAt, from), lt(intakeReports.receivedAt, to)))
    .orderBy(asc(intakeReports.receivedAt), asc(intakeReports.id));
  return rows.map(({ status, ...n }) => ({ ...n, acted: status === 'declared' || status === 'merged' }));
}

/** Sets the action basis of the notices declared as or merged into the incident; how many. */
export async function setNoticeBasis(db: Db, incidentId: string, basis: ActionBasis): Promise<number> {
  const rows = await db
    .update(intakeReports)
    .set({ actionBasis: basis })
    .where(and(eq(intakeReports.incidentId, incidentId), inArray(intakeReports.status, ['declared', 'merged'])))
    .returning({ id: intakeReports.id });
  return rows.length;
}

/** Every order of these incidents, whenever received, oldest first: the CSV export sums them per incident. */
export async function ordersOfIncidents(db: Db, incidentIds: readonly string[]): Promise<StoredOrder[]> {
  const rows: StoredOrder[] = [];
  for (const ids of chunksOf([...new Set(incidentIds)])) {
    rows.push(...(await db.select().from(orders).where(inArray(orders.incidentId, ids))));
  }
  // Sorted here: the chunks come one after another.
  return rows.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One order by id. */
export async function findOrder(db: Db, id: string): Promise<StoredOrder | undefined> {
  const [row] = await db.select().from(orders).where(eq(orders.id, id));
  return row;
}

/** Replaces an order's typed fields (the incident, recorder and intake link stay). */
export async function updateOrder(db: Db, id: string, values: OrderDetails): Promise<StoredOrder | undefined> {
  const [row] = await db.update(orders).set(values).where(eq(orders.id, id)).returning();
  return row;
}

/** A notice that carried an authority's order was acted on under the law (unless a basis is already recorded). */
export async function noticeActedOnLaw(db: Db, reportId: string): Promise<void> {
  await db
    .update(intakeReports)
    .set({ actionBasis: 'law' })
    .where(and(eq(intakeReports.id, reportId), isNull(intakeReports.actionBasis)));
}
