import { findIncident, updateIncident, type Incident } from '../../db/repos/incidents.js';
import { randomUUID } from 'node:crypto';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { recordEntryPosts } from '../../db/repos/redaction.js';
import { claimSlackDelivery } from '../../db/repos/slack-events.js';
import { applyTimestamps, transition, isIncidentStatus, transitionKindTo } from '../../domain/lifecycle.js';
import { nextUpdateDue, updateEveryMinutesFor } from '../../domain/update-cadence.js';
import { UserError } from '../../errors.js';
import { feedChange, resolvedMessage, statusChangedLine } from '../../blocks/incident-changes.js';
import { incidentRef } from '../../blocks/incident-messages.js';
import type { IncidentDeps } from './context.js';
import { requireChanger } from './context.js';
import { withPlanning } from '../../jobs/plan.js';
import { publishChange, replanReminder, stopPaging } from './effects.js';

export interface StatusChange {
  userId: string;
  incident: Incident;
  target: string;
  /** `view:<id>` or `cmd:<trigger id>`, claimed with the change: a replay changes nothing. */
  submissionKey: string;
  reason?: string;
  resolution?: { summary: string; mitigation: string | null; followUps: string[] };
}

/**
 * Moves an incident through its lifecycle. Only valid transitions are accepted (the pure state
 * machine decides); each records who, when and why in the timeline and the audit log. Resolving,
 * closing or cancelling stops paging and reminders; reopening restarts the reminders. The
 * submission is claimed in the transaction of the change, so a replay moves and announces nothing.
 */
export async function changeStatus(deps: IncidentDeps, change: StatusChange): Promise<string> {
  const { incident, userId } = change;
  if (!isIncidentStatus(change.target))
    throw new UserError(
      'unknown_status',
      `\`${change.target}\` is not a status. Statuses: investigating, mitigated, resolved, closed, cancelled.`,
    );
  await requireChanger(deps, incident, userId, `incident.${transitionKindTo(change.target)}`);
  const result = transition(incident.status, change.target);
  if (!result.ok) {
    if (result.code === 'same') return `${incidentRef(incident)} is already ${change.target}. Nothing changed.`;
    throw new UserError(`transition_${result.code}`, result.reason);
  }
  const { effects } = result;
  const now = deps.clock();
  // Known before it is written: the resolution line (it quotes the resolution) is kept on it, for a redaction to rewrite.
  const entryId = randomUUID();
  const outcome = await withPlanning(deps, async (planning) => {
    const { tx } = planning;
    if (!(await claimSlackDelivery(tx, change.submissionKey))) return null;
    const stamps = applyTimestamps(
      { mitigatedAt: incident.mitigatedAt, resolvedAt: incident.resolvedAt, closedAt: incident.closedAt },
      effects,
      now,
    );
    await updateIncident(tx, incident.id, {
      status: effects.to,
      ...stamps,
      ...(change.resolution
        ? { resolutionSummary: change.resolution.summary, mitigation: change.resolution.mitigation, followUps: change.resolution.followUps }
        : {}),
    });
    await addTimelineEntry(tx, {
      id: entryId,
      incidentId: incident.id,
      at: now,
      kind: 'status_changed',
      actorId: userId,
      text: `Status ${effects.from} -> ${effects.to}${change.reason ? `: ${change.reason}` : ''}`,
      data: { from: effects.from, to: effects.to },
    });
    await addAuditRecord(tx, {
      incidentId: incident.id,
      at: now,
      actorId: userId,
      action: `incident.${effects.kind}`,
      details: { from: effects.from, to: effects.to },
    });
    const settled = effects.stopsPaging ? await stopPaging(planning, incident.id, now) : [];
    const every = updateEveryMinutesFor(incident.severity, deps.meridian.severities);
    if (effects.stopsReminders) await replanReminder(planning, incident, null, now);
    else if (effects.restartsReminders) {
      await replanReminder(planning, incident, nextUpdateDue({ updateEveryMinutes: every, lastUpdateAt: now, now }), now);
    }
    return { settled };
  });
  const done = `${incidentRef(incident)} is now ${effects.to}.`;
  if (!outcome) return done;

  const fresh = (await findIncident(deps.db, incident.id)) ?? incident;
  const resolved = effects.to === 'resolved';
  const published = await publishChange(deps, incident.id, {
    channelText: resolved ? resolvedMessage(fresh, userId).text : statusChangedLine(fresh, effects.from, userId, change.reason),
    feed: ['resolved', 'closed', 'cancelled', 'investigating'].includes(effects.to)
      ? feedChange(fresh, effects.to === 'investigating' ? 'reopened' : effects.to, deps.catalog)
      : undefined,
    settledPages: outcome.settled,
  });
  if (resolved && published.channelLine)
    await recordEntryPosts(deps.db, entryId, [{ ...published.channelLine, shows: 'resolution' }]).catch((err: unknown) =>
      deps.logger.warn({ err, incidentId: incident.id }, 'the resolution line was not kept for redaction'),
    );
  if (resolved) {
    await deps.review
      .post({ incidentId: incident.id, requestedBy: null })
      .catch((err: unknown) => deps.logger.warn({ err, incidentId: incident.id }, 'review draft not posted'));
  }
  return done;
}
