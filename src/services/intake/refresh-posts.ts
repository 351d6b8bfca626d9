/** After a report's body is redacted (issue 24): the messages Meridian posted of it show the redacted report. */
import { reportInIncident, triagePost } from '../../blocks/triage.js';
import { findIncident } from '../../db/repos/incidents.js';
import { decisionOf, findReport, reportPostedInIncident } from '../../db/repos/intake-reports.js';
import { sourceOf } from '../../domain/intake.js';
import type { IntakeDeps } from './deps.js';

/**
 * chat.update of the triage post (its ts is recorded on the report) and of the report's post in
 * its incident's channel (found by the key it was delivered under: Slack is asked for the
 * channel's latest messages, so one posted long before may not be found and stays as it was).
 */
export async function refreshReportPosts(deps: IntakeDeps, reportId: string): Promise<void> {
  const report = await findReport(deps.db, reportId);
  if (!report) return;
  const now = deps.clock();
  const channel = report.triageChannelId ?? deps.triageChannelId;
  if (report.triageTs && channel) {
    const decision = await decisionOf(deps.db, report);
    const sourceName = sourceOf(deps.meridian.intake, report.source)?.name;
    const message = triagePost(report, deps.catalog, { now, sourceName, ...(decision ? { decision } : {}) });
    await deps.slack.updateMessage({ channel, ts: report.triageTs, ...message });
  }
  if (!report.incidentId || !(await reportPostedInIncident(deps.db, reportId))) return;
  const incident = await findIncident(deps.db, report.incidentId);
  if (!incident?.channelId) return;
  const posted = await deps.slack.findDelivered(incident.channelId, `report-in-incident:${reportId}`);
  if (!posted) return;
  const how = report.status === 'merged' ? 'merged' : 'declared';
  await deps.slack.updateMessage({ ...posted, ...reportInIncident(report, deps.catalog, how, now) });
}
