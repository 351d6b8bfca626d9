import { desc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { auditLog, incidents } from '../schema/index.js';

export type AuditRecord = typeof auditLog.$inferSelect;

/** The incident with this number, if any (for `/incident audit INC-n`). */
export async function findIncidentIdByNumber(db: Db, number: number): Promise<string | undefined> {
  const [row] = await db.select({ id: incidents.id }).from(incidents).where(eq(incidents.number, number));
  return row?.id;
}

/** An incident's audit records, newest first. */
export async function listAuditRecords(db: Db, incidentId: string, limit: number): Promise<AuditRecord[]> {
  return db.select().from(auditLog).where(eq(auditLog.incidentId, incidentId)).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(limit);
}
