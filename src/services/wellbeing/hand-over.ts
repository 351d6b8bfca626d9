/**
 * The Hand over button of a wellbeing DM: the commander role passes to the next hub's on-call by
 * the same path as `/incident role` (timeline, audit, invite, card), the new commander gets a
 * briefing in the channel, and the DM says it is done. Claimed once per offer, so a retried or
 * repeated click changes nothing.
 */
import { handedOverDm, handOverBriefing, type HandOverOffer, stayingDm } from '../../blocks/wellbeing.js';
import { pendingClocksOf } from '../../db/repos/clocks.js';
import { deliveryClaimed } from '../../db/repos/exposure.js';
import { findIncident, type Incident } from '../../db/repos/incidents.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { timelineEntriesOfKind } from '../../db/repos/timeline.js';
import { OPEN_STATUSES } from '../../domain/lifecycle.js';
import { PermissionDenied } from '../../errors.js';
import { incidentForUser } from '../incident-access.js';
import { assignRole } from '../incident/assign-role.js';
import { incidentRunbook } from '../runbook/index.js';
import type { WellbeingDeps } from './context.js';

export interface OfferAnswer {
  readonly userId: string;
  readonly offer: HandOverOffer;
}

/**
 * The offer's own DM, as delivered (tagged with the offer's key, in the DM with the person it
 * was made to): the only message a click updates, whatever channel and ts its payload names.
 */
async function offerMessage(deps: WellbeingDeps, offer: HandOverOffer): Promise<{ channel: string; ts: string } | undefined> {
  return deps.slack.findDelivered(offer.forUser, offer.key).catch((err: unknown) => {
    deps.logger.warn({ err }, 'could not find the wellbeing DM to update');
    return undefined;
  });
}

const AUDIT_ACTION = 'wellbeing.hand_over';
const NOT_YOURS = 'This offer was made to someone else, so it is not yours to accept.';
const NOT_COMMANDER = 'You are no longer the commander of this incident, so there is nothing to hand over.';

async function refuse(deps: WellbeingDeps, incidentId: string | null, userId: string, reason: string, text: string): Promise<never> {
  await addAuditRecord(deps.db, {
    incidentId,
    at: deps.clock(),
    actorId: userId,
    action: AUDIT_ACTION,
    outcome: 'refused',
    details: { reason },
  });
  throw new PermissionDenied(text);
}

function handOverKey(offer: HandOverOffer): string {
  return `handover:${offer.key}`;
}

/** Hands the incident over; returns what the DM now says. */
export async function handOver(deps: WellbeingDeps, answer: OfferAnswer): Promise<string> {
  const { userId, offer } = answer;
  const known = await findIncident(deps.db, offer.incidentId);
  if (offer.forUser !== userId) return refuse(deps, known?.id ?? null, userId, 'not_offered_to_user', NOT_YOURS);
  const access = { db: deps.db, admins: deps.meridian.admins, clock: deps.clock };
  const incident = await incidentForUser(access, offer.incidentId, userId);
  const done = handedOverDm(incident, offer.toUser);
  if (!(await deliveryClaimed(deps.db, handOverKey(offer)))) {
    const open = (OPEN_STATUSES as readonly string[]).includes(incident.status);
    if (incident.commanderId !== userId || !open) return refuse(deps, incident.id, userId, 'not_commander', NOT_COMMANDER);
    await assignRole(deps, { userId, incident, submissionKey: handOverKey(offer), role: 'commander', assignee: offer.toUser });
  }
  await postBriefing(deps, incident, offer);
  const message = await offerMessage(deps, offer);
  if (message) {
    await deps.slack
      .updateMessage({ ...message, ...done })
      .catch((err: unknown) => deps.logger.warn({ err, incidentId: incident.id }, 'could not update the hand-over DM'));
  }
  return done.text;
}

/** Once per offer: a retry finds the tagged briefing in the channel and posts nothing. */
async function postBriefing(deps: WellbeingDeps, incident: Incident, offer: HandOverOffer): Promise<void> {
  if (!incident.channelId) return;
  const [updates, steps, clocks] = await Promise.all([
    timelineEntriesOfKind(deps.db, incident.id, 'update_posted'),
    incidentRunbook({ db: deps.db, catalog: deps.catalog }, incident),
    pendingClocksOf(deps.db, [incident.id]),
  ]);
  const last = updates[updates.length - 1];
  const briefing = handOverBriefing({
    incident,
    fromUser: offer.forUser,
    toUser: offer.toUser,
    lastUpdate: last ? { text: last.text, at: last.at } : null,
    openSteps: steps.filter((s) => s.doneAt === null).map((s) => s.text),
    clocks: clocks.map((c) => ({ name: c.name, dueAt: c.dueAt, missed: c.state === 'missed' })),
  });
  await deps.slack.postOnce(`briefing:${offer.key}`, { channel: incident.channelId, ...briefing }, { mayExist: true });
}

/** "I'm fine for now": the DM says so; nothing is recorded and nobody is told. */
export async function stayOn(deps: WellbeingDeps, answer: OfferAnswer): Promise<string> {
  if (answer.offer.forUser !== answer.userId) {
    const known = await findIncident(deps.db, answer.offer.incidentId);
    return refuse(deps, known?.id ?? null, answer.userId, 'not_offered_to_user', NOT_YOURS);
  }
  const dm = stayingDm();
  const message = await offerMessage(deps, answer.offer);
  if (message) await deps.slack.updateMessage({ ...message, ...dm });
  return dm.text;
}
