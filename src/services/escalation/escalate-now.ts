import type { Database } from '../../db/client.js';
import { lockActiveEscalation, pagesOfIncident } from '../../db/repos/escalations.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { cancelPendingByKeyPrefix } from '../../db/repos/scheduled-actions.js';
import { notificationKeyPrefix } from '../../domain/notification-rules.js';
import { withPlanning } from '../../jobs/plan.js';
import { claimSlackDelivery } from '../../db/repos/slack-events.js';
import { limitReachedMessage } from '../../domain/action-limits.js';
import { PermissionDenied, UserError } from '../../errors.js';
import type { ActionLimiter } from '../../rate-limiters/action-limiter.js';
import type { Catalog } from '../../blocks/catalog.js';
import { escalatedLine, escalatedPageDm } from '../../blocks/page-messages.js';
import { incidentRef } from '../../blocks/incident-messages.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import { pageForUser } from '../incident-access.js';
import type { Clock } from '../types.js';

export interface EscalateNowDeps {
  db: Database;
  slack: Pick<SlackGateway, 'postMessage' | 'updateMessage'>;
  catalog: Catalog;
  scheduler: Pick<ActionScheduler, 'enqueue' | 'remove'>;
  admins: readonly string[];
  /** Escalations per person an hour (admins are not counted). */
  limiter: Pick<ActionLimiter, 'consume' | 'refund'>;
  logger: Logger;
  clock: Clock;
}

/**
 * "I can't take this": the pending escalation step runs now instead of after its wait. Only the
 * paged person, the commander or an admin may; anyone else changes nothing. A page escalates
 * from its own step only, once: the claim `escalate:<escalation>:<step>` is taken with the change,
 * so a second click (or a click on a page of the same step) pages nobody more.
 */
export async function escalateNow(deps: EscalateNowDeps, request: { userId: string; pageId: string }): Promise<string> {
  const { page, incident } = await pageForUser(deps, request.pageId, request.userId);
  const now = deps.clock();
  const counted = deps.admins.includes(request.userId) ? null : { userId: request.userId };
  const reached = counted && (await deps.limiter.consume('escalate', counted));
  if (reached) {
    await addAuditRecord(deps.db, {
      incidentId: incident.id,
      at: now,
      actorId: request.userId,
      action: 'escalation.escalate',
      outcome: 'refused',
      details: { reason: 'rate_limited', limit: reached.limit },
    });
    throw new UserError('rate_limited', limitReachedMessage(reached));
  }
  const result = await withPlanning(deps, async ({ tx, plan, cancel, dropJobs }) => {
    const escalation = await lockActiveEscalation(tx, incident.id);
    if (!escalation || escalation.id !== page.escalationId) return undefined;
    if (![page.userId, incident.commanderId, ...deps.admins].includes(request.userId)) return 'refused' as const;
    if (escalation.nextStep !== page.stepNumber + 1) return 'moved-on' as const;
    if (!(await claimSlackDelivery(tx, `escalate:${escalation.id}:${page.stepNumber}`))) return 'moved-on' as const;
    const stepPages = (await pagesOfIncident(tx, incident.id)).filter(
      (p) => p.escalationId === escalation.id && p.stepNumber === page.stepNumber && p.status === 'sent',
    );
    await cancel(incident.id, now, ['escalation-step']);
    // The person who passes it on gets no more texts or calls for it; others of the step still do.
    for (const own of stepPages.filter((p) => p.userId === request.userId)) {
      dropJobs(await cancelPendingByKeyPrefix(tx, notificationKeyPrefix(own.id), now));
    }
    await plan('escalation-step', { escalationId: escalation.id, stepNumber: escalation.nextStep }, now, { incidentId: incident.id });
    await addTimelineEntry(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'escalated',
      actorId: request.userId,
      text: 'Escalated to the next step',
      data: { stepNumber: escalation.nextStep },
    });
    await addAuditRecord(tx, {
      incidentId: incident.id,
      at: now,
      actorId: request.userId,
      action: 'escalation.escalate',
      details: { stepNumber: escalation.nextStep },
    });
    return { stepPages };
  });
  if (counted && (!result || typeof result === 'string')) await deps.limiter.refund('escalate', counted);
  if (result === 'refused') {
    await addAuditRecord(deps.db, {
      incidentId: incident.id,
      at: now,
      actorId: request.userId,
      action: 'escalation.escalate',
      outcome: 'refused',
      details: {},
    });
    throw new PermissionDenied('Only the person paged, the commander or an admin can escalate this page.');
  }
  if (result === 'moved-on') return `${incidentRef(incident)} was already escalated past this page. Nothing changed.`;
  if (!result) return `${incidentRef(incident)} is no longer paging (acknowledged or closed). Nothing changed.`;
  await Promise.all(
    result.stepPages.map(async (p) => {
      if (!p.dmChannelId || !p.dmTs) return;
      const dm = escalatedPageDm(incident, p, { by: request.userId, at: now }, deps.catalog);
      await deps.slack
        .updateMessage({ channel: p.dmChannelId, ts: p.dmTs, ...dm })
        .catch((err: unknown) => deps.logger.warn({ err, pageId: p.id }, 'page DM not updated after escalating'));
    }),
  );
  if (incident.channelId) {
    await deps.slack
      .postMessage({ channel: incident.channelId, text: escalatedLine(request.userId) })
      .catch((err: unknown) => deps.logger.warn({ err }, 'escalation line not posted'));
  }
  return `:arrow_double_up: Escalated ${incidentRef(incident)}: the next people are being paged now.`;
}
