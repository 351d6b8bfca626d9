import type { Database } from '../../db/client.js';
import {
  closeOpenPages,
  latestEscalation,
  lockActiveEscalation,
  endEscalation,
  pagesOfIncident,
  type Page,
} from '../../db/repos/escalations.js';
import { findIncident, updateIncident, type Incident } from '../../db/repos/incidents.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { cancelPendingActions } from '../../db/repos/scheduled-actions.js';
import { PermissionDenied } from '../../errors.js';
import type { Catalog } from '../../blocks/catalog.js';
import { acknowledgedLine, settledPageDm } from '../../blocks/page-messages.js';
import { incidentRef } from '../../blocks/incident-messages.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import type { Logger } from '../../log.js';
import { slackDate, userMention } from '../../slack-api/mrkdwn.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import { incidentForUser, incidentOfChannelForUser, pageForUser } from '../incident-access.js';
import { refreshIncidentCard } from '../incident-card.js';
import type { Clock } from '../types.js';

export interface AcknowledgeDeps {
  db: Database;
  slack: Pick<SlackGateway, 'postMessage' | 'updateMessage'>;
  scheduler: Pick<ActionScheduler, 'remove'>;
  catalog: Catalog;
  admins: readonly string[];
  logger: Logger;
  clock: Clock;
  /** Told of each acknowledgement that stopped paging, with the time since declaration (metrics). */
  onAcknowledged?: (ttaMs: number) => void;
}

/** How an acknowledgement is asked for: a page's own button, or in the incident (command, card). */
export type AcknowledgeRequest =
  | { userId: string; pageId: string }
  | { userId: string; incidentId: string }
  | { userId: string; channelId: string };

/**
 * Stops the incident's escalation: records who acknowledged and when (time to acknowledge),
 * cancels the pending step, settles every page's DM, updates the card and tells the channel.
 * A second acknowledgement, or one by someone who may not, changes nothing and says why.
 */
export async function acknowledge(deps: AcknowledgeDeps, request: AcknowledgeRequest): Promise<string> {
  const { incident, page } = await locate(deps, request);
  const now = deps.clock();
  const outcome = await deps.db.transaction(async (tx) => {
    const escalation = await lockActiveEscalation(tx, incident.id);
    if (!escalation) return { done: false as const };
    const paged = await pagesOfIncident(tx, incident.id);
    const allowed =
      (page ? page.userId === request.userId : paged.some((p) => p.userId === request.userId)) ||
      (!page && [incident.commanderId, incident.declaredBy, ...deps.admins].includes(request.userId));
    if (!allowed) return { done: false as const, refused: true as const };
    await endEscalation(tx, escalation.id, { status: 'acknowledged', at: now, acknowledgedBy: request.userId });
    const settled = await closeOpenPages(tx, escalation.id, 'acknowledged', now);
    const cancelled = await cancelPendingActions(tx, incident.id, now, ['escalation-step', 'page-notification']);
    if (!incident.acknowledgedAt) await updateIncident(tx, incident.id, { acknowledgedAt: now });
    const ttaMs = now.getTime() - incident.declaredAt.getTime();
    await addTimelineEntry(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'acknowledged',
      actorId: request.userId,
      text: 'Page acknowledged',
      data: { ttaMs },
    });
    await addAuditRecord(tx, {
      incidentId: incident.id,
      at: now,
      actorId: request.userId,
      action: 'escalation.acknowledge',
      details: { escalationId: escalation.id },
    });
    return { done: true as const, settled, cancelled, ttaMs };
  });

  if (!outcome.done && 'refused' in outcome) {
    // Outside the transaction: a refused attempt is audited even though nothing else is written.
    await addAuditRecord(deps.db, {
      incidentId: incident.id,
      at: now,
      actorId: request.userId,
      action: 'escalation.acknowledge',
      outcome: 'refused',
      details: {},
    });
    throw new PermissionDenied(
      page
        ? `This page was sent to ${userMention(page.userId)}; only they can acknowledge it here. Use \`/incident ack\` in the incident channel if you are taking it.`
        : 'Only someone paged for this incident, its commander, its declarer or an admin can acknowledge it.',
    );
  }
  if (!outcome.done) return alreadySettled(deps, incident);
  await deps.scheduler.remove(outcome.cancelled);
  deps.onAcknowledged?.(outcome.ttaMs);
  await afterAcknowledge(deps, incident, request.userId, outcome.settled, outcome.ttaMs, now);
  return `:white_check_mark: You acknowledged ${incidentRef(incident)}. Paging has stopped.`;
}

async function locate(deps: AcknowledgeDeps, request: AcknowledgeRequest): Promise<{ incident: Incident; page?: Page }> {
  if ('pageId' in request) return pageForUser(deps, request.pageId, request.userId);
  if ('incidentId' in request) return { incident: await incidentForUser(deps, request.incidentId, request.userId) };
  return {
    incident: await incidentOfChannelForUser(deps, request.channelId, request.userId, "Run `/incident ack` in the incident's channel."),
  };
}

async function alreadySettled(deps: AcknowledgeDeps, incident: Incident): Promise<string> {
  const last = await latestEscalation(deps.db, incident.id);
  if (last?.status === 'acknowledged' && last.acknowledgedBy && last.acknowledgedAt) {
    return `Already acknowledged by ${userMention(last.acknowledgedBy)} ${slackDate(last.acknowledgedAt)}. Nothing changed.`;
  }
  return `${incidentRef(incident)} is not paging anyone right now. Nothing changed.`;
}

async function afterAcknowledge(deps: AcknowledgeDeps, incident: Incident, userId: string, settled: Page[], ttaMs: number, now: Date) {
  const fresh = (await findIncident(deps.db, incident.id)) ?? incident;
  for (const page of settled) {
    if (!page.dmChannelId || !page.dmTs) continue;
    const message = settledPageDm(fresh, { by: userId, at: now, self: page.userId === userId }, deps.catalog);
    await deps.slack
      .updateMessage({ channel: page.dmChannelId, ts: page.dmTs, ...message })
      .catch((err: unknown) => deps.logger.warn({ err, pageId: page.id }, 'page DM not updated'));
  }
  if (fresh.channelId) {
    await deps.slack
      .postMessage({ channel: fresh.channelId, text: acknowledgedLine(userId, ttaMs) })
      .catch((err: unknown) => deps.logger.warn({ err }, 'ack line not posted'));
  }
  await refreshIncidentCard(deps, incident.id).catch((err: unknown) => deps.logger.warn({ err }, 'card not refreshed'));
}
