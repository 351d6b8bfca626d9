/** The `incident-origin` action: the report or the message an incident was declared from, in its channel. */
import { reportInIncident, sourceMessageInIncident } from '../../blocks/triage.js';
import { findIncident } from '../../db/repos/incidents.js';
import { addTimelineEntry } from '../../db/repos/record.js';
import { findReport, markReportPostedInIncident, reportPostedInIncident, sourceMessageLinked } from '../../db/repos/intake-reports.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import type { IntakeDeps } from './deps.js';

/**
 * Posts a report (declared from, or merged into) or the message an incident was declared from in
 * the incident's channel. Until the set-up has opened the channel, it fails and is retried.
 */
export async function postIncidentOrigin(deps: IntakeDeps, ctx: ActionContext<'incident-origin'>): Promise<ActionOutcome> {
  const { action, data } = ctx;
  const incident = action.incidentId ? await findIncident(deps.db, action.incidentId) : undefined;
  if (!incident) return 'skipped';
  if (!incident.channelId) throw new Error('the incident channel is not open yet');
  const channel = incident.channelId;
  if ('reportId' in data) {
    const { reportId } = data;
    const report = await findReport(deps.db, reportId);
    if (!report || (await reportPostedInIncident(deps.db, reportId))) return 'skipped';
    const how = report.status === 'merged' ? 'merged' : 'declared';
    await ctx.deliver(`report-in-incident:${reportId}`, { channel, ...reportInIncident(report, deps.catalog, how, ctx.now) });
    await markReportPostedInIncident(deps.db, reportId, deps.clock());
    return 'done';
  }
  const { channelId, ts } = data;
  if (await sourceMessageLinked(deps.db, incident.id, ts)) return 'skipped';
  const permalink = await deps.slack.permalink(channelId, ts);
  await ctx.deliver(`source-message:${action.id}`, { channel, ...sourceMessageInIncident(permalink) });
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
