import { and, asc, desc, eq, gte, lt } from 'drizzle-orm';
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

/** An audit row as exported: with its incident's number (null for rows of no incident). */
export interface ExportedAuditRecord extends AuditRecord {
  incidentNumber: number | null;
}

/** The audit rows written in [from, to), oldest first. */
export async function auditRecordsBetween(db: Db, from: Date, to: Date): Promise<ExportedAuditRecord[]> {
  return db
    .select({
      id: auditLog.id,
      incidentId: auditLog.incidentId,
      at: auditLog.at,
      actorId: auditLog.actorId,
      action: auditLog.action,
      outcome: auditLog.outcome,
      details: auditLog.details,
      incidentNumber: incidents.number,
    })
    .from(auditLog)
    .leftJoin(incidents, eq(incidents.id, auditLog.incidentId))
    .where(and(gte(auditLog.at, from), lt(auditLog.at, to)))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
}
