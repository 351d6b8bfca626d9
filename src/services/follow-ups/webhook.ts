/**
 * The `follow-up-webhook` action: the follow-up as it is now, POSTed signed to FOLLOW_UP_WEBHOOK_URL.
 * The delivery id is the row's id, so a retry after a lost answer is the same delivery to the
 * receiver. A private incident's title never leaves; nor do its follow-ups' titles, unless
 * `follow_ups.export_private_titles` is on (then as in Jira).
 */
import { findFollowUp } from '../../db/repos/follow-ups.js';
import { findIncident } from '../../db/repos/incidents.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { followUpRef } from '../../domain/follow-ups.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import { WebhookRefused } from '../../outgoing-webhook/gateway.js';
import { followUpsConfig, type FollowUpDeps } from './deps.js';

export async function runFollowUpWebhook(deps: FollowUpDeps, ctx: ActionContext<'follow-up-webhook'>): Promise<ActionOutcome> {
  const f = await findFollowUp(ctx.tx, ctx.data.followUpId);
  if (!f || !deps.webhook) return 'skipped';
  const incident = await findIncident(ctx.tx, f.incidentId);
  if (!incident) return 'skipped';
  const withheld = incident.isPrivate && !followUpsConfig(deps).exportPrivateTitles;
  const payload = {
    event: `follow_up.${ctx.data.event}`,
    followUp: {
      id: f.id,
      ref: followUpRef(f),
      // null with `titleWithheld`: the receiver knows it exists, not what it says.
      title: withheld ? null : f.title,
      ...(withheld ? { titleWithheld: true } : {}),
      ownerId: f.ownerId,
      teamId: f.teamId,
      dueAt: f.dueAt.toISOString(),
      status: f.status,
      reason: f.reason,
      trackerKey: f.trackerKey,
    },
    incident: { number: incident.number, ...(incident.isPrivate ? { private: true } : { title: incident.title }) },
  };
  try {
    await deps.webhook.send(ctx.action.id, payload, ctx.now);
  } catch (err) {
    if (!(err instanceof WebhookRefused)) throw err;
    await addAuditRecord(ctx.tx, {
      incidentId: f.incidentId,
      at: ctx.now,
      actorId: null,
      action: 'follow_up.webhook',
      outcome: 'refused',
      details: { followUpId: f.id, event: ctx.data.event, error: err.message },
    });
  }
  return 'done';
}
