/** The scheduled actions of intake: the triage post, the nudge, and the report or message in an incident's channel. */
import { triageNudge, triagePost, reportInIncident, sourceMessageInIncident } from '../../blocks/triage.js';
import { findIncident } from '../../db/repos/incidents.js';
import { addTimelineEntry } from '../../db/repos/record.js';
import {
  claimTriageNudgeSlot,
  listPendingReports,
  decisionOf,
  findReport,
  markReportPostedInIncident,
  recordTriagePost,
  reportPostedInIncident,
  sourceMessageLinked,
} from '../../db/repos/reports.js';
import type { ScheduledAction } from '../../db/repos/scheduled-actions.js';
import { sourceOf } from '../../domain/intake.js';
import { mayBeRedelivered } from '../../domain/scheduled-action.js';
import type { ActionOutcome } from '../../jobs/run-action.js';
import type { IntakeDeps } from './deps.js';
import { onCallNow } from './on-call-now.js';

const reportIdOf = (row: ScheduledAction) => (typeof row.data.reportId === 'string' ? row.data.reportId : undefined);

/**
 * Posts the report's triage message once (recording its ts), or brings it up to date with the
 * report's decision (chat.update, no buttons). A priority report's first post pings the on-call.
 */
export async function syncTriagePost(deps: IntakeDeps, row: ScheduledAction): Promise<ActionOutcome> {
  const reportId = reportIdOf(row);
  const report = reportId ? await findReport(deps.db, reportId) : undefined;
  if (!report) return 'skipped';
  const channel = report.triageChannelId ?? deps.triageChannelId;
  if (!channel) {
    deps.logger.warn({ reportId }, 'INTAKE_CHANNEL is unset: the report has no triage channel');
    return 'skipped';
  }
  const now = deps.clock();
  const decision = await decisionOf(deps.db, report);
  const onCall = report.priority && !decision && !report.triageTs ? await onCallNow(deps.db, now) : [];
  const sourceName = sourceOf(deps.meridian.intake, report.source)?.name;
  const message = triagePost(report, deps.catalog, { now, sourceName, onCall, ...(decision ? { decision } : {}) });
  if (report.triageTs) {
    await deps.slack.updateMessage({ channel, ts: report.triageTs, ...message });
  } else {
    const { ts } = await deps.slack.postOnce(`triage:${report.id}`, { channel, ...message }, { mayExist: mayBeRedelivered(row, now) });
    await recordTriagePost(deps.db, report.id, channel, ts);
  }
  return 'done';
}

/** Individual nudges per nudge window before the rest collapse into one summary. */
const NUDGES_PER_WINDOW = 3;

/**
 * A report still pending when its time is up nudges the on-call in the triage channel; a decided
 * one does nothing. A flood (600 reports at once) does not make 600 nudges: per nudge window
 * (`nudge_after_minutes`) the first three nudge one by one, the fourth says how many wait in
 * all, the rest are skipped. Priority reports always nudge. Slots are claimed in Postgres, so
 * every replica counts the same.
 */
export async function nudgeTriage(deps: IntakeDeps, row: ScheduledAction): Promise<ActionOutcome> {
  const reportId = reportIdOf(row);
  const report = reportId ? await findReport(deps.db, reportId) : undefined;
  const channel = report?.triageChannelId ?? deps.triageChannelId;
  if (report?.status !== 'pending' || !channel) return 'skipped';
  const now = deps.clock();
  const slot = report.priority ? 'own' : await nudgeSlot(deps, row, now);
  if (slot === 'none') return 'skipped';
  const waiting = slot === 'summary' ? (await listPendingReports(deps.db, 1)).total : undefined;
  const message = triageNudge(report, await onCallNow(deps.db, now), now.getTime() - report.receivedAt.getTime(), waiting);
  await deps.slack.postOnce(`triage-nudge:${row.id}`, { channel, ...message }, { mayExist: mayBeRedelivered(row, now) });
  return 'done';
}

async function nudgeSlot(deps: IntakeDeps, row: ScheduledAction, now: Date): Promise<'own' | 'summary' | 'none'> {
  const windowMs = Math.max(1, deps.meridian.intake.nudgeAfterMinutes * 60_000);
  const window = `triage-nudge-window:${Math.floor(now.getTime() / windowMs)}`;
  // A retry of a nudge that claimed its slot before failing keeps it (its own row's claim).
  if (!(await claimTriageNudgeSlot(deps.db, `${window}:row:${row.id}`))) return 'own';
  for (let i = 0; i < NUDGES_PER_WINDOW; i++) if (await claimTriageNudgeSlot(deps.db, `${window}:${i}`)) return 'own';
  return (await claimTriageNudgeSlot(deps.db, `${window}:summary`)) ? 'summary' : 'none';
}

/**
 * Posts a report (declared from, or merged into) or the message an incident was declared from in
 * the incident's channel. Until the set-up has opened the channel, it fails and is retried.
 */
export async function postIncidentOrigin(deps: IntakeDeps, row: ScheduledAction): Promise<ActionOutcome> {
  const incident = row.incidentId ? await findIncident(deps.db, row.incidentId) : undefined;
  if (!incident) return 'skipped';
  if (!incident.channelId) throw new Error('the incident channel is not open yet');
  const channel = incident.channelId;
  const reportId = reportIdOf(row);
  if (reportId) {
    const report = await findReport(deps.db, reportId);
    if (!report || (await reportPostedInIncident(deps.db, reportId))) return 'skipped';
    const how = report.status === 'merged' ? 'merged' : 'declared';
    const message = { channel, ...reportInIncident(report, deps.catalog, how, deps.clock()) };
    await deps.slack.postOnce(`report-in-incident:${reportId}`, message, { mayExist: mayBeRedelivered(row, deps.clock()) });
    await markReportPostedInIncident(deps.db, reportId, deps.clock());
    return 'done';
  }
  const { channelId, ts } = row.data as { channelId?: unknown; ts?: unknown };
  if (typeof channelId !== 'string' || typeof ts !== 'string') return 'skipped';
  if (await sourceMessageLinked(deps.db, incident.id, ts)) return 'skipped';
  const permalink = await deps.slack.permalink(channelId, ts);
  await deps.slack.postOnce(
    `source-message:${row.id}`,
    { channel, ...sourceMessageInIncident(permalink) },
    { mayExist: mayBeRedelivered(row, deps.clock()) },
  );
  await addTimelineEntry(deps.db, {
    incidentId: incident.id,
    at: deps.clock(),
    kind: 'source_message',
    actorId: null,
    text: 'Declared from a message',
    messageTs: ts,
    permalink,
    data: { channelId },
  });
  return 'done';
}
