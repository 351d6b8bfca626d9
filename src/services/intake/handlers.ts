/** The scheduled actions of intake: the triage post, the nudge, and the report or message in an incident's channel. */
import { triageNudge, triagePost, reportInIncident, sourceMessageInIncident } from '../../blocks/triage.js';
import { findIncident } from '../../db/repos/incidents.js';
import { addTimelineEntry } from '../../db/repos/record.js';
import {
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

/** A report still pending when its time is up nudges the on-call in the triage channel; a decided one does nothing. */
export async function nudgeTriage(deps: IntakeDeps, row: ScheduledAction): Promise<ActionOutcome> {
  const reportId = reportIdOf(row);
  const report = reportId ? await findReport(deps.db, reportId) : undefined;
  const channel = report?.triageChannelId ?? deps.triageChannelId;
  if (report?.status !== 'pending' || !channel) return 'skipped';
  const now = deps.clock();
  const message = triageNudge(report, await onCallNow(deps.db, now), now.getTime() - report.receivedAt.getTime());
  await deps.slack.postOnce(`triage-nudge:${row.id}`, { channel, ...message }, { mayExist: mayBeRedelivered(row, now) });
  return 'done';
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
