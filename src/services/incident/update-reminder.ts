import type { Db } from '../../db/client.js';
import { findIncident } from '../../db/repos/incidents.js';
import { insertScheduledActions, type ScheduledAction } from '../../db/repos/scheduled-actions.js';
import { isOpen } from '../../domain/lifecycle.js';
import { mayBeRedelivered } from '../../domain/scheduled-action.js';
import { nextUpdateDue, updateEveryMinutesFor } from '../../domain/update-cadence.js';
import { reminderMessage } from '../../blocks/incident-changes.js';
import type { ActionResult } from '../../jobs/run-action.js';
import type { IncidentDeps } from './context.js';

/**
 * Nudges the commander in the channel when no update came within the severity's cadence, then
 * plans the next nudge. An update posted since this reminder was planned makes it stale: the
 * update already planned the next one.
 */
export async function runUpdateReminder(
  deps: Pick<IncidentDeps, 'db' | 'slack' | 'catalog' | 'meridian' | 'clock'>,
  action: ScheduledAction,
  tx: Db,
): Promise<ActionResult> {
  const incident = await findIncident(deps.db, action.incidentId ?? '');
  if (!incident || !isOpen(incident.status) || !incident.channelId) return { outcome: 'skipped' };
  const every = updateEveryMinutesFor(incident.severity, deps.meridian.severities);
  const lastUpdateAt = incident.lastUpdateAt ?? incident.declaredAt;
  const plannedAt = typeof action.data.plannedAt === 'string' ? new Date(action.data.plannedAt) : action.createdAt;
  if (every === null || lastUpdateAt.getTime() > plannedAt.getTime()) return { outcome: 'skipped' };
  const now = deps.clock();
  const message = {
    channel: incident.channelId,
    ...reminderMessage(incident, now.getTime() - lastUpdateAt.getTime(), every, deps.catalog),
  };
  await deps.slack.postOnce(`update-reminder:${action.id}`, message, { mayExist: mayBeRedelivered(action, now) });
  const dueAt = nextUpdateDue({ updateEveryMinutes: every, lastUpdateAt, lastReminderAt: now, now });
  const followUps = dueAt
    ? await insertScheduledActions(tx, [
        { incidentId: incident.id, kind: 'update-reminder', dueAt, data: { plannedAt: plannedAt.toISOString() }, dedupeKey: null },
      ])
    : [];
  return { outcome: 'done', followUps };
}
