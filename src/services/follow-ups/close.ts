/** Closing a follow-up (done, or won't do with a reason): its reminders and tracker reads are cancelled, the channel and the card told. */
import { followUpChannelLine } from '../../blocks/follow-ups.js';
import { cancelFollowUpActions, closeFollowUp, type StoredFollowUp } from '../../db/repos/follow-ups.js';
import { findIncident } from '../../db/repos/incidents.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { followUpRef, type FollowUpStatus } from '../../domain/follow-ups.js';
import { withPlanning } from '../../jobs/plan.js';
import type { MessageInput } from '../../slack-api/gateway-messages.js';
import { FOLLOW_UP_KINDS, followUpsConfig, showFollowUpChange, type FollowUpDeps } from './deps.js';

/**
 * How the channel line is posted: a person's close posts it plainly, a scheduled action (the
 * tracker read) through its `ctx.deliver`, so a retried job sends nothing twice.
 */
export type PostCloseLine = (key: string, message: MessageInput) => Promise<unknown>;

/**
 * Closes an open follow-up; undefined when it was closed already (a double click, Jira and a
 * person at once). `actorId` is a Slack user, or null for the tracker (`via` names it).
 */
export async function closeFollowUpAs(
  deps: FollowUpDeps,
  change: { followUpId: string; status: Exclude<FollowUpStatus, 'open'>; reason: string | null; actorId: string | null; via?: string },
  post: PostCloseLine,
): Promise<StoredFollowUp | undefined> {
  const now = deps.clock();
  const closed = await withPlanning(deps, async ({ tx, plan, dropJobs }) => {
    const row = await closeFollowUp(tx, change.followUpId, { status: change.status, reason: change.reason, at: now });
    if (!row) return undefined;
    // The tracker read that closes it is running now: only the others are cancelled.
    dropJobs(await cancelFollowUpActions(tx, row.id, now, FOLLOW_UP_KINDS));
    if (deps.webhook)
      await plan('follow-up-webhook', { followUpId: row.id, event: 'closed' }, now, {
        incidentId: null,
        dedupeKey: `follow-up:${row.id}:webhook:closed`,
      });
    const via = change.via ? ` (${change.via})` : '';
    await addTimelineEntry(tx, {
      incidentId: row.incidentId,
      at: now,
      kind: 'follow_up_closed',
      actorId: change.actorId,
      text: `Follow-up ${followUpRef(row)} ${change.status === 'done' ? 'done' : "won't be done"}${via}: ${row.title}`,
      data: { followUpId: row.id, status: change.status },
    });
    await addAuditRecord(tx, {
      incidentId: row.incidentId,
      at: now,
      actorId: change.actorId,
      action: `follow_up.${change.status}`,
      details: { followUpId: row.id, ...(change.via ? { via: change.via } : {}) },
    });
    return row;
  });
  if (!closed) return undefined;
  const incident = await findIncident(deps.db, closed.incidentId);
  if (incident?.channelId) {
    const by = change.via ?? (change.actorId ? `by <@${change.actorId}>` : null);
    const line =
      change.status === 'done'
        ? followUpChannelLine(closed, followUpsConfig(deps).teams, 'done', by)
        : `:no_entry_sign: Follow-up *${followUpRef(closed)}* won't be done: ${change.reason ?? ''}`;
    await post(`follow-up-closed:${closed.id}`, { channel: incident.channelId, text: line }).catch((err: unknown) =>
      deps.logger.warn({ err, followUpId: closed.id }, 'follow-up close not announced'),
    );
    await showFollowUpChange(deps, incident.id);
  }
  return closed;
}
