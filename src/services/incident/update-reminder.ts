import { findIncident } from '../../db/repos/incidents.js';
import { isOpen } from '../../domain/lifecycle.js';
import { nextUpdateDue, updateEveryMinutesFor } from '../../domain/update-cadence.js';
import { reminderMessage } from '../../blocks/incident-changes.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import type { IncidentDeps } from './context.js';

/**
 * Nudges the commander in the channel when no update came within the severity's cadence, then
 * plans the next nudge. An update posted since this reminder was planned makes it stale: the
 * update already planned the next one.
 */
export async function runUpdateReminder(
  deps: Pick<IncidentDeps, 'db' | 'catalog' | 'meridian'>,
  ctx: ActionContext<'update-reminder'>,
): Promise<ActionOutcome> {
  const { action, now } = ctx;
  const incident = action.incidentId ? await findIncident(deps.db, action.incidentId) : undefined;
  if (!incident || !isOpen(incident.status) || !incident.channelId) return 'skipped';
  const every = updateEveryMinutesFor(incident.severity, deps.meridian.severities);
  const lastUpdateAt = incident.lastUpdateAt ?? incident.declaredAt;
  const plannedAt = ctx.data.plannedAt ? new Date(ctx.data.plannedAt) : action.createdAt;
  if (every === null || lastUpdateAt.getTime() > plannedAt.getTime()) return 'skipped';
  const message = {
    channel: incident.channelId,
    ...reminderMessage(incident, now.getTime() - lastUpdateAt.getTime(), every, deps.catalog),
  };
  await ctx.deliver(`update-reminder:${action.id}`, message);
  const dueAt = nextUpdateDue({ updateEveryMinutes: every, lastUpdateAt, lastReminderAt: now, now });
  if (dueAt) await ctx.plan('update-reminder', { plannedAt: plannedAt.toISOString() }, dueAt, { incidentId: incident.id });
  return 'done';
}
