import { and, asc, desc, eq, gte, inArray, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { auditLog, incidents } from '../schema/index.js';

export type AuditRecord = typeof auditLog.$inferSelect;

/** The incident with this number, if any (for `/incident audit INC-n`). */
export async function findIncidentIdByNumber(db: Db, number: number): Promise<string | undefined> {
  const [row] = await db.select({ id: incidents.id }).from(incidents).where(eq(incidents.number, number));
  return row?.id;
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

/** What `/incident audit` filters on; every field optional, all given ones must match. */
export interface AuditQuery {
  incidentId?: string;
  actorId?: string;
  /** Any of these stored names (an action and its legacy names). */
  actions?: readonly string[];
  from?: Date;
  before?: Date;
}

/** The audit rows matching `query`, newest first, with their incident's number. */
export async function findAuditRecords(db: Db, query: AuditQuery, limit: number): Promise<ExportedAuditRecord[]> {
  const where: SQL[] = [];
  if (query.incidentId) where.push(eq(auditLog.incidentId, query.incidentId));
  if (query.actorId) where.push(eq(auditLog.actorId, query.actorId));
  if (query.actions?.length) where.push(inArray(auditLog.action, [...query.actions]));
  if (query.from) where.push(gte(auditLog.at, query.from));
  if (query.before) where.push(lt(auditLog.at, query.before));
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
    .where(and(...where))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit);
}
