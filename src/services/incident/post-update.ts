import { findIncident, updateIncident, type Incident } from '../../db/repos/incidents.js';
import { randomUUID } from 'node:crypto';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { type EntryPost, recordEntryPosts } from '../../db/repos/redaction.js';
import { claimSlackDelivery } from '../../db/repos/slack-events.js';
import { isOpen, transition, applyTimestamps } from '../../domain/lifecycle.js';
import { nextUpdateDue, updateEveryMinutesFor } from '../../domain/update-cadence.js';
import { InvalidInput } from '../../errors.js';
import { feedStatusUpdate, statusUpdateMessage, type StatusUpdate } from '../../blocks/incident-changes.js';
import { UPDATE_STATUSES } from '../../blocks/incident-modals.js';
import type { IncidentDeps } from './context.js';
import { requireChanger } from './context.js';
import { withPlanning } from '../../jobs/plan.js';
import { publishChange, replanReminder } from './effects.js';

/**
 * Posts a status update: in the channel in full, in the feed compactly for public incidents.
 * It re-plans the reminder (from the promised next update, else the severity's cadence), and
 * moves investigating <-> mitigated when the update says so. The submission is claimed in the
 * same transaction: the same view submitted again posts nothing.
 */
export async function postUpdate(
  deps: IncidentDeps,
  input: {
    userId: string;
    incident: Incident;
    submissionKey: string;
    status?: string;
    known?: string;
    doing?: string;
    nextUpdateAt?: Date;
  },
): Promise<void> {
  const { incident, userId } = input;
  await requireChanger(deps, incident, userId, 'incident.update');
  const now = deps.clock();
  const errors: Record<string, string> = {};
  const status = UPDATE_STATUSES.find((s) => s === (input.status ?? incident.status));
  if (!status) errors.status = 'Choose investigating or mitigated (resolve with the Resolve form).';
  const known = (input.known ?? '').trim();
  const doing = (input.doing ?? '').trim();
  if (!known) errors.known = 'Say what we know, even if it is little.';
  if (!doing) errors.doing = 'Say what we are doing next.';
  if (input.nextUpdateAt && input.nextUpdateAt.getTime() <= now.getTime()) errors.next_update = 'The next update must be in the future.';
  if (!isOpen(incident.status)) errors.known = 'This incident is no longer open.';
  let move = null as ReturnType<typeof transition> | null;
  if (status && status !== incident.status) {
    move = transition(incident.status, status);
    if (!move.ok) errors.status = move.reason;
  }
  if (Object.keys(errors).length || !status) throw new InvalidInput(errors);

  const every = updateEveryMinutesFor(incident.severity, deps.meridian.severities);
  const dueAt = input.nextUpdateAt ?? nextUpdateDue({ updateEveryMinutes: every, lastUpdateAt: now, now });
  // The update says when the next is due: the typed time, else the severity's cadence (what the reminder runs on).
  const update: StatusUpdate = { status, known, doing, nextUpdateAt: dueAt ?? null, authorId: userId, at: now };
  // The entry's id is known before it is written: the posts quoting it are kept on it, for a redaction to rewrite.
  const entryId = randomUUID();
  const posted = await withPlanning(deps, async (planning) => {
    const { tx } = planning;
    if (!(await claimSlackDelivery(tx, input.submissionKey))) return null;
    const stamps = move?.ok
      ? applyTimestamps(
          { mitigatedAt: incident.mitigatedAt, resolvedAt: incident.resolvedAt, closedAt: incident.closedAt },
          move.effects,
          now,
        )
      : {};
    await updateIncident(tx, incident.id, { lastUpdateAt: now, status, ...stamps });
    await addTimelineEntry(tx, {
      id: entryId,
      incidentId: incident.id,
      at: now,
      kind: 'update_posted',
      actorId: userId,
      text: `Update (${status}): ${known} | Doing: ${doing}`,
      data: { status, nextUpdateAt: update.nextUpdateAt?.toISOString() ?? null },
    });
    await addAuditRecord(tx, { incidentId: incident.id, at: now, actorId: userId, action: 'incident.update', details: { status } });
    await replanReminder(planning, incident, dueAt, now);
    return true;
  });
  if (!posted) return;
  const fresh = (await findIncident(deps.db, incident.id)) ?? incident;
  const posts: EntryPost[] = [];
  if (fresh.channelId) {
    const inChannel = await deps.slack
      .postMessage({ channel: fresh.channelId, ...statusUpdateMessage(fresh, update, deps.catalog) })
      .catch((err: unknown) => deps.logger.warn({ err }, 'update not posted'));
    if (inChannel) posts.push({ ...inChannel, shows: 'update' });
  }
  const published = await publishChange(deps, incident.id, {
    feed: feedStatusUpdate(fresh, update, deps.catalog),
  });
  if (published.feed) posts.push({ ...published.feed, shows: 'update' });
  await recordEntryPosts(deps.db, entryId, posts).catch((err: unknown) =>
    deps.logger.warn({ err, incidentId: incident.id }, 'the update posts were not kept for redaction'),
  );
}
