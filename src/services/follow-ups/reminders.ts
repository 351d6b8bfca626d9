/** The `follow-up-notice` and `follow-up-reminder` actions: DMs to the owner, each with a Done button. */
import { followUpAssignedDm, followUpReminderDm } from '../../blocks/follow-ups.js';
import { findFollowUp } from '../../db/repos/follow-ups.js';
import { findIncident } from '../../db/repos/incidents.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import { refreshIncidentCard } from '../incident-card.js';
import { followUpsConfig, type FollowUpDeps } from './deps.js';

export async function runFollowUpNotice(deps: FollowUpDeps, ctx: ActionContext<'follow-up-notice'>): Promise<ActionOutcome> {
  const f = await findFollowUp(ctx.tx, ctx.data.followUpId);
  if (f?.status !== 'open') return 'skipped';
  const incident = await findIncident(ctx.tx, f.incidentId);
  if (!incident) return 'skipped';
  const message = followUpAssignedDm(f, incident, f.createdBy, followUpsConfig(deps).teams);
  await ctx.deliver(`follow-up-notice:${f.id}:${f.ownerId}`, { channel: f.ownerId, ...message });
  return 'done';
}

export async function runFollowUpReminder(deps: FollowUpDeps, ctx: ActionContext<'follow-up-reminder'>): Promise<ActionOutcome> {
  const f = await findFollowUp(ctx.tx, ctx.data.followUpId);
  // Closed, or changed since this reminder was planned: a stale row.
  if (f?.status !== 'open' || f.version !== ctx.data.version) return 'skipped';
  if (ctx.now < ctx.action.dueAt) {
    // Run early (the sandbox's "Run due now", a skewed replica): never remind before the reminder's own time.
    await ctx.plan('follow-up-reminder', ctx.data, ctx.action.dueAt, {
      incidentId: null,
      dedupeKey: `follow-up:${f.id}:${f.version}:${ctx.data.stage}:early:${ctx.action.id}`,
    });
    return 'skipped';
  }
  const incident = await findIncident(ctx.tx, f.incidentId);
  if (!incident) return 'skipped';
  const message = followUpReminderDm(f, incident, ctx.data.stage);
  await ctx.deliver(`follow-up-reminder:${ctx.action.id}:${f.ownerId}`, { channel: f.ownerId, ...message });
  // The card's overdue count changes at the due date.
  if (ctx.data.stage === 'overdue') {
    await refreshIncidentCard({ ...deps }, incident.id).catch((err: unknown) => deps.logger.warn({ err }, 'card not refreshed'));
  }
  return 'done';
}
