import type { AuditAction } from '../../domain/audit-actions.js';
/** Declare, Merge and Dismiss: each decides a pending report once; a second decision changes nothing. */
import type { View } from '@slack/types';
import { declareModal } from '../../blocks/declare-modal.js';
import { alreadyDecidedText, pendingReportsMessage, type TriageMessage } from '../../blocks/triage.js';
import { DISMISS_REASON_MAX, dismissModal, mergeModal } from '../../blocks/triage-modals.js';
import type { Db } from '../../db/client.js';
import { listOpenIncidentsVisibleTo } from '../../db/repos/incidents.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { decidePendingReport, decisionOf, findReport, listPendingReports } from '../../db/repos/intake-reports.js';
import { withPlanning, type Planning } from '../../jobs/plan.js';
import { insertOrder, noticeActedOnLaw } from '../../db/repos/orders.js';
import { checkOrder, draftOfSubmission } from '../../domain/orders.js';
import { orderLine } from '../regulatory/orders.js';
import { SUMMARY_MAX } from '../../domain/declaration.js';
import type { IntakeReport, ReportStatus } from '../../domain/intake.js';
import { truncate } from '../../domain/text.js';
import { NotFound, UserError } from '../../errors.js';
import type { DeclarationClaim } from '../declare-incident.js';
import { incidentForUser } from '../incident-access.js';
import type { IntakeDeps } from './deps.js';
import type { TriageGate } from './triage-members.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function reportById(db: Db, reportId: string): Promise<IntakeReport> {
  const report = UUID.test(reportId) ? await findReport(db, reportId) : undefined;
  if (!report) throw new NotFound('That report does not exist.');
  return report;
}

/** The UserError for a report decided before this person: what was decided, by whom. */
async function alreadyDecided(deps: IntakeDeps, report: IntakeReport, userId: string, action: AuditAction): Promise<UserError> {
  const decision = await decisionOf(deps.db, report);
  await addAuditRecord(deps.db, {
    incidentId: report.incidentId,
    at: deps.clock(),
    actorId: userId,
    action,
    outcome: 'refused',
    details: { reportId: report.id, reason: 'already_decided', status: report.status },
  });
  return new UserError('already_decided', decision ? alreadyDecidedText(decision) : 'This report was already decided.');
}

async function requirePendingReport(deps: IntakeDeps, reportId: string, userId: string, action: AuditAction): Promise<IntakeReport> {
  const report = await reportById(deps.db, reportId);
  if (report.status !== 'pending') throw await alreadyDecided(deps, report, userId, action);
  return report;
}

/** The summary the declare form starts from: the report's and where it came from. */
function prefillSummary(report: IntakeReport): string {
  const lines = [report.summary];
  lines.push(`Reported via ${report.source} (${report.externalId})${report.reporter ? ` by ${report.reporter}` : ''}.`);
  if (report.links.length) lines.push(...report.links);
  return truncate(lines.filter(Boolean).join('\n'), SUMMARY_MAX);
}

type Decision = { status: Exclude<ReportStatus, 'pending'>; userId: string; incidentId?: string; reason?: string };

const actionOf = (decision: Decision): AuditAction =>
  `intake.${decision.status === 'declared' ? 'declare' : decision.status === 'merged' ? 'merge' : 'dismiss'}`;

/**
 * In `tx`: the row-level state check (only a pending report is decided), the record and the
 * triage post's update. Undefined when the report was no longer pending.
 */
async function decideIn(planning: Planning, report: IntakeReport, decision: Decision, now: Date): Promise<IntakeReport | undefined> {
  const { tx, plan } = planning;
  const decided = await decidePendingReport(tx, report.id, {
    status: decision.status,
    by: decision.userId,
    at: now,
    ...(decision.incidentId ? { incidentId: decision.incidentId } : {}),
    ...(decision.reason ? { reason: decision.reason } : {}),
  });
  if (!decided) return undefined;
  await addAuditRecord(tx, {
    incidentId: decision.incidentId ?? null,
    at: now,
    actorId: decision.userId,
    action: actionOf(decision),
    details: { reportId: report.id, source: report.source },
  });
  await plan('triage-post', { reportId: report.id }, now, { incidentId: null });
  if (decision.incidentId) {
    await addTimelineEntry(tx, {
      incidentId: decision.incidentId,
      at: now,
      kind: decision.status === 'declared' ? 'report_linked' : 'report_merged',
      actorId: decision.userId,
      text: `${decision.status === 'declared' ? 'Declared from' : 'Merged'} report ${report.externalId} from ${report.source}`,
      data: { reportId: report.id, source: report.source, externalId: report.externalId, links: report.links },
    });
    if (report.orderDetails) await recordReportOrder(tx, report, decision.incidentId, decision.userId, now);
    const dedupeKey = `origin:${decision.incidentId}:${report.id}`;
    await plan('incident-origin', { reportId: report.id }, now, { incidentId: decision.incidentId, dedupeKey });
  }
  return decided;
}

/**
 * The order the report carried, on the incident it joins; checked again (it was on arrival), so
 * a report whose order no longer passes is linked without it rather than not at all.
 */
async function recordReportOrder(tx: Db, report: IntakeReport, incidentId: string, userId: string, now: Date): Promise<void> {
  const checked = checkOrder(draftOfSubmission(report.orderDetails ?? {}), now);
  if (!checked.ok) return;
  const row = await insertOrder(tx, { ...checked.order, incidentId, recordedBy: userId, intakeReportId: report.id });
  // Acting on an authority's order is acting under the law (DSA Art. 15(1)(b)).
  await noticeActedOnLaw(tx, report.id);
  if (row)
    await addTimelineEntry(tx, {
      incidentId,
      at: now,
      kind: 'order_recorded',
      actorId: userId,
      text: `Order recorded from report ${report.externalId}: ${orderLine(row)}`,
      data: { orderId: row.id, reportId: report.id },
    });
}

/** Decides in one transaction: the row-level state check, the record, and the triage post's update. */
async function decide(deps: IntakeDeps, report: IntakeReport, decision: Decision): Promise<IntakeReport> {
  const decided = await withPlanning(deps, (planning) => decideIn(planning, report, decision, deps.clock()));
  if (!decided) {
    const current = await reportById(deps.db, report.id);
    // A replay of the same declaration (Slack retried the submission) is not a second decision.
    if (current.status === decision.status && current.incidentId && current.incidentId === decision.incidentId) return current;
    throw await alreadyDecided(deps, current, decision.userId, actionOf(decision));
  }
  return decided;
}

/** The declare form, prefilled from a pending report; the report id rides in its metadata. */
export async function declareForm(deps: IntakeDeps, input: { userId: string; reportId: string; channelId?: string }): Promise<View> {
  const report = await requirePendingReport(deps, input.reportId, input.userId, 'intake.declare');
  return declareModal(deps.catalog, {
    title: report.title,
    summary: prefillSummary(report),
    ...(report.severity ? { severity: report.severity } : {}),
    ...(report.category ? { category: report.category } : {}),
    // The form's Respond by starts the incident's clock from the report's deadline.
    ...(report.deadline ? { respondBy: report.deadline } : {}),
    // The category's legal clock runs from receipt, not from the declaration.
    receivedAt: report.receivedAt,
    metadata: { reportId: report.id, ...(input.channelId ? { originChannelId: input.channelId } : {}) },
  });
}

/** Refuses, before an incident is declared from it, a report decided meanwhile. */
export async function requirePending(deps: IntakeDeps, input: { userId: string; reportId: string }): Promise<void> {
  await requirePendingReport(deps, input.reportId, input.userId, 'intake.declare');
}

/**
 * The claim a declaration from a report makes in its own transaction: the report becomes declared
 * as the new incident there, or (taken meanwhile by another Declare or a Dismiss) the declaration
 * is rolled back and the person told what became of the report. So two Declares make one
 * incident, and a Dismiss that won leaves no incident or channel behind.
 */
export function claimForDeclaration(deps: IntakeDeps, input: { userId: string; reportId: string }): DeclarationClaim {
  return async (planning, incident, now) => {
    const { tx } = planning;
    const report = await reportById(tx, input.reportId);
    const result = await decideIn(planning, report, { status: 'declared', userId: input.userId, incidentId: incident.id }, now);
    if (result) return;
    const current = await reportById(tx, input.reportId);
    const decision = await decisionOf(tx, current);
    deps.logger.info({ reportId: input.reportId, userId: input.userId }, 'a declaration lost the race for its report; rolled back');
    throw new UserError('already_decided', decision ? alreadyDecidedText(decision) : 'This report was already decided.');
  };
}

/** The message an incident was declared from: linked (permalink) in its channel and timeline once the channel is open. */
export async function linkSourceMessage(deps: IntakeDeps, input: { incidentId: string; channelId: string; ts: string }): Promise<void> {
  await withPlanning(deps, ({ plan }) =>
    plan('incident-origin', { channelId: input.channelId, ts: input.ts }, deps.clock(), {
      incidentId: input.incidentId,
      dedupeKey: `origin:${input.incidentId}:${input.ts}`,
    }),
  );
}

/** The merge form: the open incidents this person may see (private ones only for their members). */
export async function mergeForm(deps: IntakeDeps, input: { userId: string; teamId: string; reportId: string }): Promise<View> {
  const report = await requirePendingReport(deps, input.reportId, input.userId, 'intake.merge');
  return mergeModal(report.id, await listOpenIncidentsVisibleTo(deps.db, input.teamId, { userId: input.userId }, 100));
}

/** Merges a pending report into an open incident the person may see. */
export async function mergeReport(deps: IntakeDeps, input: { userId: string; reportId: string; incidentId: string }): Promise<void> {
  const report = await reportById(deps.db, input.reportId);
  const incident = await incidentForUser({ db: deps.db, admins: deps.meridian.admins, clock: deps.clock }, input.incidentId, input.userId);
  if (incident.status !== 'investigating' && incident.status !== 'mitigated') {
    throw new UserError('incident_closed', `INC-${incident.number} is no longer open; choose an open incident.`, 'incident');
  }
  await decide(deps, report, { status: 'merged', userId: input.userId, incidentId: incident.id });
}

/** The dismiss form (a reason is required). */
export async function dismissForm(deps: IntakeDeps, input: { userId: string; reportId: string }): Promise<View> {
  const report = await requirePendingReport(deps, input.reportId, input.userId, 'intake.dismiss');
  return dismissModal(report.id);
}

/** Dismisses a pending report with a reason. */
export async function dismissReport(deps: IntakeDeps, input: { userId: string; reportId: string; reason: string }): Promise<void> {
  const reason = input.reason.trim();
  if (!reason) throw new UserError('reason_required', 'Say why the report needs no incident.', 'reason');
  // The modal's max_length, checked again: a hand-built submission skips the modal, and the
  // triage post's update would carry the whole reason past Slack's text limit.
  if (reason.length > DISMISS_REASON_MAX)
    throw new UserError('reason_too_long', `Keep the reason under ${DISMISS_REASON_MAX} characters.`, 'reason');
  const report = await reportById(deps.db, input.reportId);
  await decide(deps, report, { status: 'dismissed', userId: input.userId, reason });
}

/** `/incident intake`: the pending reports, oldest first, for members of the triage channel and admins. */
export async function pendingReports(deps: IntakeDeps, gate: TriageGate, input: { userId: string }): Promise<TriageMessage> {
  await gate(input.userId);
  const pending = await listPendingReports(deps.db, 30);
  return pendingReportsMessage(pending.reports, pending.total, deps.clock());
}
