import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { MeridianConfig, EscalationPolicyConfig } from '../../config-file/types.js';
import type { Database, Db } from '../../db/client.js';
import { advanceEscalation, endEscalation, insertPageOnce, updatePage, type Escalation } from '../../db/repos/escalations.js';
import { addIncidentMembers, findIncident, OPEN_STATUSES, type Incident } from '../../db/repos/incidents.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { insertScheduledActions, type ScheduledAction } from '../../db/repos/scheduled-actions.js';
import { escalations } from '../../db/schema/index.js';
import { planAfterResolution, stepAt } from '../../domain/escalation-plan.js';
import type { Catalog } from '../../blocks/catalog.js';
import { nobodyReachedLine, pageDm, unacknowledgedAlert, unreachableLine } from '../../blocks/page-messages.js';
import { RateLimited, SlackApiError, SlackAuthError, SlackUnavailable } from '../../slack-api/errors.js';
import type { ActionResult } from '../../jobs/run-action.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';
import { announcePages } from './announce-pages.js';
import { resolveTargets } from './resolve-targets.js';

export interface EscalationStepDeps {
  db: Database;
  slack: Pick<SlackGateway, 'postMessage' | 'invite' | 'updateMessage' | 'usergroupMembers' | 'lookupUserByEmail'>;
  catalog: Catalog;
  meridian: Pick<MeridianConfig, 'admins'>;
  feedChannelId: string | undefined;
  logger: Logger;
  clock: Clock;
}

const stepData = z.object({ escalationId: z.string().uuid(), stepNumber: z.number().int().min(0) });

/**
 * Runs one step of an escalation: pages the people its targets name now, then plans the next
 * step in `tx` (or, after the last step of the last round, alerts the feed). The escalation row
 * is locked for the whole step, so an acknowledgement waits for a step in flight and a step never
 * pages after an acknowledgement. A stale job (the escalation moved on, ended, or the incident
 * closed) does nothing.
 */
export async function runEscalationStep(deps: EscalationStepDeps, action: ScheduledAction, tx: Db): Promise<ActionResult> {
  const { escalationId, stepNumber } = stepData.parse(action.data);
  // NO KEY UPDATE: pages inserted on other connections reference this row (FOR KEY SHARE) and must not wait on it.
  const [escalation] = await tx.select().from(escalations).where(eq(escalations.id, escalationId)).for('no key update');
  if (!escalation || escalation.status !== 'active' || escalation.nextStep !== stepNumber) return { outcome: 'skipped' };
  const incident = await findIncident(deps.db, escalation.incidentId);
  if (!incident || !(OPEN_STATUSES as readonly string[]).includes(incident.status)) {
    if (escalation) await endEscalation(tx, escalation.id, { status: 'cancelled', at: deps.clock() });
    return { outcome: 'skipped' };
  }
  const policy = escalation.policy as unknown as EscalationPolicyConfig;
  const planned = stepAt(policy, stepNumber);
  const now = deps.clock();
  if (planned === 'exhausted') {
    await alertUnacknowledged(deps, tx, incident, escalation, policy.repeat + 1, now);
    return { outcome: 'done' };
  }

  const resolved = await resolveTargets({ db: deps.db, slack: deps.slack }, planned.targets, now);
  const targets: typeof resolved = [];
  const unreachable: Array<{ userId: string; code: string }> = [];
  for (const target of resolved) {
    const page = await insertPageOnce(deps.db, {
      incidentId: incident.id,
      escalationId,
      stepNumber,
      userId: target.userId,
      reason: target.reason as unknown as Record<string, unknown>,
      pagedAt: now,
    });
    if (page.status === 'undeliverable') {
      unreachable.push({ userId: target.userId, code: 'undeliverable' });
      continue;
    }
    targets.push(target);
    if (page.dmTs) continue; // sent by an earlier attempt of this step
    try {
      const dm = await deps.slack.postMessage({ channel: target.userId, ...pageDm(incident, page.id, target.reason, now, deps.catalog) });
      await updatePage(deps.db, page.id, { dmChannelId: dm.channel, dmTs: dm.ts, dmHasChannel: Boolean(incident.channelId) });
    } catch (err) {
      // Slack down or rate limiting: retry the step. Anything else (a deactivated account, a user
      // Slack does not know) will not heal by retrying, and must not hold the escalation back.
      if (err instanceof SlackUnavailable || err instanceof RateLimited || err instanceof SlackAuthError || !(err instanceof SlackApiError)) throw err;
      await updatePage(deps.db, page.id, { status: 'undeliverable' });
      targets.pop();
      unreachable.push({ userId: target.userId, code: err.code });
      deps.logger.warn({ err, incidentId: incident.id, userId: target.userId }, 'page could not be delivered');
    }
  }
  if (unreachable.length > 0 && incident.channelId) {
    await deps.slack.postMessage({ channel: incident.channelId, text: unreachableLine(unreachable) });
  }
  await addIncidentMembers(deps.db, incident.id, targets.map((t) => t.userId));
  await addTimelineEntry(deps.db, {
    incidentId: incident.id,
    at: now,
    kind: 'paged',
    actorId: null,
    text: targets.length ? `Escalation step ${stepNumber + 1}: paged ${targets.length}` : `Escalation step ${stepNumber + 1} reached nobody`,
    data: { stepNumber, userIds: targets.map((t) => t.userId) },
  });
  await announcePages(deps, (await findIncident(deps.db, incident.id)) ?? incident);

  const followUp = planAfterResolution(policy, stepNumber, targets.length, now);
  const nextStepNumber = followUp.action.kind === 'step' ? followUp.action.stepNumber : stepNumber + 1;
  if (targets.length === 0 && incident.channelId) {
    await deps.slack.postMessage({ channel: incident.channelId, text: nobodyReachedLine(stepNumber, followUp.action.kind === 'step' ? 'now' : 'alert') });
  }
  // Moving on and planning the next step commit together, or not at all.
  const followUps = await tx.transaction(async (t) => {
    if (!(await advanceEscalation(t, escalationId, stepNumber, nextStepNumber))) return null;
    return insertScheduledActions(t, [
      { incidentId: incident.id, kind: 'escalation-step', dueAt: followUp.dueAt, data: { escalationId, stepNumber: nextStepNumber }, dedupeKey: null },
    ]);
  });
  return followUps ? { outcome: 'done', followUps } : { outcome: 'skipped' };
}

async function alertUnacknowledged(deps: EscalationStepDeps, tx: Db, incident: Incident, escalation: Escalation, rounds: number, now: Date) {
  const alert = unacknowledgedAlert(incident, rounds, deps.meridian.admins, deps.catalog);
  if (deps.feedChannelId) await deps.slack.postMessage({ channel: deps.feedChannelId, ...alert });
  if (incident.channelId) await deps.slack.postMessage({ channel: incident.channelId, ...alert });
  await endEscalation(tx, escalation.id, { status: 'exhausted', at: now });
  await addTimelineEntry(deps.db, { incidentId: incident.id, at: now, kind: 'unacknowledged', actorId: null, text: `Unacknowledged after ${rounds} rounds of paging`, data: {} });
  await addAuditRecord(deps.db, { incidentId: incident.id, at: now, actorId: null, action: 'escalation.exhausted', details: { escalationId: escalation.id, rounds } });
}
