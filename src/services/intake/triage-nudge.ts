/** The `triage-nudge` action: a report still pending when its time is up nudges the on-call in the triage channel; a decided one does nothing. */
import { triageNudge } from '../../blocks/triage.js';
import { findReport } from '../../db/repos/reports.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import type { IntakeDeps } from './deps.js';
import { onCallNow } from './on-call-now.js';

export async function nudgeTriage(deps: IntakeDeps, ctx: ActionContext<'triage-nudge'>): Promise<ActionOutcome> {
  const report = await findReport(deps.db, ctx.data.reportId);
  const channel = report?.triageChannelId ?? deps.triageChannelId;
  if (report?.status !== 'pending' || !channel) return 'skipped';
  const { now } = ctx;
  const message = triageNudge(report, await onCallNow(deps.db, now), now.getTime() - report.receivedAt.getTime());
  await ctx.deliver(`triage-nudge:${ctx.action.id}`, { channel, ...message });
  return 'done';
}
