/** The `triage-post` action: a report's triage message, posted once or brought up to date. */
import { triagePost } from '../../blocks/triage.js';
import { decisionOf, findReport, recordTriagePost } from '../../db/repos/intake-reports.js';
import { sourceOf } from '../../domain/intake.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import type { IntakeDeps } from './deps.js';
import { onCallNow } from './on-call-now.js';

/**
 * Posts the report's triage message once (recording its ts), or brings it up to date with the
 * report's decision (chat.update, no buttons). A priority report's first post pings the on-call.
 */
export async function syncTriagePost(deps: IntakeDeps, ctx: ActionContext<'triage-post'>): Promise<ActionOutcome> {
  const { reportId } = ctx.data;
  const report = await findReport(deps.db, reportId);
  if (!report) return 'skipped';
  const channel = report.triageChannelId ?? deps.triageChannelId;
  if (!channel) {
    deps.logger.warn({ reportId }, 'INTAKE_CHANNEL is unset: the report has no triage channel');
    return 'skipped';
  }
  const { now } = ctx;
  const decision = await decisionOf(deps.db, report);
  const onCall = report.priority && !decision && !report.triageTs ? await onCallNow(deps.db, now) : [];
  const sourceName = sourceOf(deps.meridian.intake, report.source)?.name;
  const message = triagePost(report, deps.catalog, { now, sourceName, onCall, ...(decision ? { decision } : {}) });
  if (report.triageTs) {
    await deps.slack.updateMessage({ channel, ts: report.triageTs, ...message });
  } else {
    const { ts } = await ctx.deliver(`triage:${report.id}`, { channel, ...message });
    await recordTriagePost(deps.db, report.id, channel, ts);
  }
  return 'done';
}
