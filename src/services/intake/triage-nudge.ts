/** The `triage-nudge` action: a report still pending when its time is up nudges the on-call in the triage channel; a decided one does nothing. */
import { triageNudge } from '../../blocks/triage.js';
import { claimTriageNudgeSlot, findReport, listPendingReports } from '../../db/repos/intake-reports.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import type { IntakeDeps } from './deps.js';
import { onCallNow } from './on-call-now.js';

/** Individual nudges per nudge window before the rest collapse into one summary. */
const NUDGES_PER_WINDOW = 3;

/**
 * A flood (600 reports at once) does not make 600 nudges: per nudge window
 * (`nudge_after_minutes`) the first three nudge one by one, the fourth says how many wait in
 * all, the rest are skipped. Priority reports always nudge. Slots are claimed in Postgres, so
 * every replica counts the same.
 */
export async function nudgeTriage(deps: IntakeDeps, ctx: ActionContext<'triage-nudge'>): Promise<ActionOutcome> {
  const report = await findReport(deps.db, ctx.data.reportId);
  const channel = report?.triageChannelId ?? deps.triageChannelId;
  if (report?.status !== 'pending' || !channel) return 'skipped';
  const { now } = ctx;
  const slot = report.priority ? 'own' : await nudgeSlot(deps, ctx.action.id, now);
  if (slot === 'none') return 'skipped';
  const waiting = slot === 'summary' ? (await listPendingReports(deps.db, 1)).total : undefined;
  const message = triageNudge(report, await onCallNow(deps.db, now), now.getTime() - report.receivedAt.getTime(), waiting);
  await ctx.deliver(`triage-nudge:${ctx.action.id}`, { channel, ...message });
  return 'done';
}

async function nudgeSlot(deps: IntakeDeps, actionId: string, now: Date): Promise<'own' | 'summary' | 'none'> {
  const windowMs = Math.max(1, deps.meridian.intake.nudgeAfterMinutes * 60_000);
  const window = `triage-nudge-window:${Math.floor(now.getTime() / windowMs)}`;
  // A retry of a nudge that claimed its slot before failing keeps it (its own row's claim).
  if (!(await claimTriageNudgeSlot(deps.db, `${window}:row:${actionId}`))) return 'own';
  for (let i = 0; i < NUDGES_PER_WINDOW; i++) if (await claimTriageNudgeSlot(deps.db, `${window}:${i}`)) return 'own';
  return (await claimTriageNudgeSlot(deps.db, `${window}:summary`)) ? 'summary' : 'none';
}
