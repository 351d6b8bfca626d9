import { and, asc, count, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client.js';
import { incidents, intakeReports, slackEvents, timelineEntries } from '../schema/index.js';
import type { IntakeReport, IntakeSubmission, ReportDecision, ReportStatus } from '../../domain/intake.js';

type Row = typeof intakeReports.$inferSelect;

function toReport(row: Row): IntakeReport {
  const { createdAt: _created, incidentPostedAt: _posted, ...report } = row;
  return report;
}

/** Stores a report once per source and external id; the second time returns the first, `created: false`. */
export async function insertReportOnce(
  db: Db,
  values: IntakeSubmission & { priority: boolean; receivedAt: Date },
): Promise<{ report: IntakeReport; created: boolean }> {
  const [inserted] = await db
    .insert(intakeReports)
    .values({
      source: values.source,
      externalId: values.externalId,
      title: values.title,
      summary: values.summary ?? '',
      category: values.category ?? null,
      severity: values.severity ?? null,
      deadline: values.deadline ?? null,
      reporter: values.reporter ?? null,
      links: values.links,
      priority: values.priority,
      receivedAt: values.receivedAt,
      orderDetails: values.order ?? null,
    })
    .onConflictDoNothing({ target: [intakeReports.source, intakeReports.externalId] })
    .returning();
  if (inserted) return { report: toReport(inserted), created: true };
  const [existing] = await db
    .select()
    .from(intakeReports)
    .where(and(eq(intakeReports.source, values.source), eq(intakeReports.externalId, values.externalId)));
  if (!existing) throw new Error('intake report vanished between insert and select');
  return { report: toReport(existing), created: false };
}

export async function findReport(db: Db, id: string): Promise<IntakeReport | undefined> {
  const [row] = await db.select().from(intakeReports).where(eq(intakeReports.id, id));
  return row ? toReport(row) : undefined;
}

/** The oldest `limit` pending reports, oldest first, and how many are pending in all. */
export async function listPendingReports(db: Db, limit: number): Promise<{ reports: IntakeReport[]; total: number }> {
  const rows = await db
    .select()
    .from(intakeReports)
    .where(eq(intakeReports.status, 'pending'))
    .orderBy(asc(intakeReports.receivedAt), asc(intakeReports.id))
    .limit(limit);
  const [all] = await db.select({ total: count() }).from(intakeReports).where(eq(intakeReports.status, 'pending'));
  return { reports: rows.map(toReport), total: all?.total ?? rows.length };
}

/** Records the triage post Slack accepted; false when one was recorded already. */
export async function recordTriagePost(db: Db, id: string, channelId: string, ts: string): Promise<boolean> {
  const rows = await db
    .update(intakeReports)
    .set({ triageChannelId: channelId, triageTs: ts })
    .where(and(eq(intakeReports.id, id), isNull(intakeReports.triageTs)))
    .returning({ id: intakeReports.id });
  return rows.length > 0;
}

/**
 * Decides a pending report: the row-level check that makes a second decision (a stale button,
 * two people at once) change nothing. Returns the decided report, or undefined when it was not pending.
 */
export async function decidePendingReport(
  db: Db,
  id: string,
  decision: { status: Exclude<ReportStatus, 'pending'>; by: string; at: Date; incidentId?: string; reason?: string },
): Promise<IntakeReport | undefined> {
  const [row] = await db
    .update(intakeReports)
    .set({
      status: decision.status,
      decidedBy: decision.by,
      decidedAt: decision.at,
      incidentId: decision.incidentId ?? null,
      dismissReason: decision.reason ?? null,
    })
    .where(and(eq(intakeReports.id, id), eq(intakeReports.status, 'pending')))
    .returning();
  return row ? toReport(row) : undefined;
}

/** What became of a decided report, with its incident's number; undefined while it is pending. */
export async function decisionOf(db: Db, report: IntakeReport): Promise<ReportDecision | undefined> {
  if (report.status === 'pending' || !report.decidedBy) return undefined;
  const decision: ReportDecision = { status: report.status, by: report.decidedBy };
  if (report.dismissReason !== null) decision.reason = report.dismissReason;
  if (report.incidentId) {
    const [incident] = await db
      .select({ number: incidents.number, isPrivate: incidents.isPrivate })
      .from(incidents)
      .where(eq(incidents.id, report.incidentId));
    if (incident) {
      decision.incidentNumber = incident.number;
      if (incident.isPrivate) decision.incidentPrivate = true;
    }
  }
  return decision;
}

/** Marks the report posted in its incident's channel; false when it was already. */
export async function markReportPostedInIncident(db: Db, id: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(intakeReports)
    .set({ incidentPostedAt: at })
    .where(and(eq(intakeReports.id, id), isNull(intakeReports.incidentPostedAt)))
    .returning({ id: intakeReports.id });
  return rows.length > 0;
}

/** Whether the report was posted in its incident's channel already. */
export async function reportPostedInIncident(db: Db, id: string): Promise<boolean> {
  const [row] = await db.select({ at: intakeReports.incidentPostedAt }).from(intakeReports).where(eq(intakeReports.id, id));
  return Boolean(row?.at);
}

/** Whether the incident's timeline already links this source message. */
export async function sourceMessageLinked(db: Db, incidentId: string, messageTs: string): Promise<boolean> {
  const rows = await db
    .select({ id: timelineEntries.id })
    .from(timelineEntries)
    .where(
      and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.kind, 'source_message'), eq(timelineEntries.messageTs, messageTs)),
    );
  return rows.length > 0;
}

/** Claims a key once for all replicas (the slack_events table's primary key); false when taken. */
export async function claimTriageNudgeSlot(db: Db, key: string): Promise<boolean> {
  const rows = await db.insert(slackEvents).values({ key }).onConflictDoNothing().returning({ key: slackEvents.key });
  return rows.length === 1;
}
