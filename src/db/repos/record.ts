import type { AuditAction } from '../../domain/audit-actions.js';
import type { Db } from '../client.js';
import { auditLog, timelineEntries } from '../schema/index.js';

export type NewTimelineEntry = typeof timelineEntries.$inferInsert;
/** An audit row to write: its action is one of the typed vocabulary (`AUDIT_ACTIONS`). */
export type NewAuditRecord = Omit<typeof auditLog.$inferInsert, 'action'> & { action: AuditAction };

/** The incident's timeline: what happened, for people. */
export async function addTimelineEntry(db: Db, entry: NewTimelineEntry): Promise<void> {
  await db.insert(timelineEntries).values(entry);
}

/** The audit trail: who changed or tried to change what, for accountability. */
export async function addAuditRecord(db: Db, record: NewAuditRecord): Promise<void> {
  await db.insert(auditLog).values(record);
}
