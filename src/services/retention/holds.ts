/** Legal holds (issue 24): `/incident hold`, `/incident release-hold`, `/incident holds`, and the holds in force on an incident. */
import { incidentRef } from '../../blocks/incident-messages.js';
import type { Database, Db } from '../../db/client.js';
import {
  dutyHoldsOf,
  holdClocksOf,
  incidentsMaybeHeld,
  insertLegalHold,
  manualHoldsOf,
  releaseLegalHolds,
} from '../../db/repos/legal-holds.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { activeHolds, type HoldDuty, type LegalHold, parseHoldRequest, type RetentionConfig } from '../../domain/retention.js';
import { UserError } from '../../errors.js';
import { escapeMrkdwn, userMention } from '../../slack-api/mrkdwn.js';
import { canSeeIncident, incidentOfChannelForUser } from '../incident-access.js';
import type { Clock } from '../types.js';
import { type GroupMembers, isPermitted, peopleOf } from './permitted.js';

export interface HoldDeps {
  db: Database;
  admins: readonly string[];
  retention: RetentionConfig | undefined;
  clock: Clock;
  /** Members of a Slack user group named in `may_hold` / `may_redact`. */
  groupMembers?: GroupMembers;
  /** Re-renders the incident's card, so it shows the hold (best effort). */
  refreshCard(incidentId: string): Promise<void>;
}

/** The holds in force on the incident at `now`: manual ones and those its duty clocks owe. */
export async function holdsOf(db: Db, duties: readonly HoldDuty[], incidentId: string, now: Date): Promise<LegalHold[]> {
  const clocks = await holdClocksOf(
    db,
    incidentId,
    duties.map((d) => d.deadlineId),
  );
  return activeHolds(await manualHoldsOf(db, incidentId, now), clocks, duties, now, await dutyHoldsOf(db, incidentId, now));
}

const REASON_MAX = 500;

/** The incident of the channel, for someone who may hold; a refusal is audited and changes nothing. */
async function heldIncident(
  deps: HoldDeps,
  input: { userId: string; channelId: string },
  action: 'retention.hold' | 'retention.release_hold',
  details: Record<string, unknown>,
) {
  const holders = [...deps.admins, ...(await peopleOf(deps.retention?.mayHold ?? [], deps.groupMembers))];
  const incident = await incidentOfChannelForUser(
    { db: deps.db, admins: holders, clock: deps.clock },
    input.channelId,
    input.userId,
    `\`/incident ${action === 'retention.hold' ? 'hold' : 'release-hold'}\` works in an incident channel.`,
  );
  const refuse = async (why: string, message: string): Promise<never> => {
    await addAuditRecord(deps.db, {
      incidentId: incident.id,
      at: deps.clock(),
      actorId: input.userId,
      action,
      outcome: 'refused',
      details: { ...details, why },
    });
    throw new UserError(`hold_${why}`, message);
  };
  if (!(await isPermitted(deps.admins, deps.retention?.mayHold ?? [], deps.groupMembers, input.userId)))
    await refuse(
      'not_permitted',
      'Only Meridian admins and the people `retention.may_hold` names (Legal) may set or release a legal hold.',
    );
  return { incident, refuse };
}

/** `/incident hold <reason> [until YYYY-MM-DD]`. */
export async function holdIncident(deps: HoldDeps, input: { userId: string; channelId: string; text: string }): Promise<string> {
  const request = parseHoldRequest(input.text);
  const { incident, refuse } = await heldIncident(deps, input, 'retention.hold', {});
  if ('error' in request) return refuse('no_reason', request.error);
  if ([...request.reason].length > REASON_MAX) return refuse('reason_too_long', `Keep the reason under ${REASON_MAX} characters.`);
  const now = deps.clock();
  if (request.until && request.until <= now) return refuse('until_past', 'The hold would end before it starts: give a date in the future.');
  await deps.db.transaction(async (tx) => {
    await insertLegalHold(tx, { incidentId: incident.id, reason: request.reason, heldBy: input.userId, heldAt: now, until: request.until });
    await addAuditRecord(tx, {
      incidentId: incident.id,
      at: now,
      actorId: input.userId,
      action: 'retention.hold',
      details: { until: request.until?.toISOString() ?? null },
    });
  });
  await deps.refreshCard(incident.id);
  const until = request.until ? ` until ${request.until.toISOString().slice(0, 10)}` : ' until released';
  return `:lock: ${incidentRef(incident)} is under a legal hold${until}: its text will not be purged and its channel will not be archived by Meridian.`;
}

/** `/incident release-hold <reason>`: releases the manual holds; duty holds end by themselves. */
export async function releaseHold(deps: HoldDeps, input: { userId: string; channelId: string; text: string }): Promise<string> {
  const reason = input.text.trim();
  const { incident, refuse } = await heldIncident(deps, input, 'retention.release_hold', {});
  if (reason === '') return refuse('no_reason', 'Say why the hold ends: `/incident release-hold <reason>`.');
  const now = deps.clock();
  const released = await deps.db.transaction(async (tx) => {
    const count = await releaseLegalHolds(tx, incident.id, { userId: input.userId, at: now, reason });
    await addAuditRecord(tx, {
      incidentId: incident.id,
      at: now,
      actorId: input.userId,
      action: 'retention.release_hold',
      outcome: count > 0 ? 'ok' : 'refused',
      details: { released: count, reason },
    });
    return count;
  });
  const left = await holdsOf(deps.db, deps.retention?.holds ?? [], incident.id, now);
  await deps.refreshCard(incident.id);
  const still = left.length ? ` It stays held by law: ${left.map((h) => escapeMrkdwn(h.reason)).join('; ')}.` : '';
  if (released === 0) return `${incidentRef(incident)} had no legal hold set by a person to release.${still}`;
  return `:unlock: Released ${released === 1 ? 'the legal hold' : `${released} legal holds`} on ${incidentRef(incident)}.${still}`;
}

/** `/incident holds`: every incident held now, for those who may hold; private ones named to their members and admins only, counted for others. */
export async function listHolds(deps: HoldDeps, input: { userId: string }): Promise<{ text: string }> {
  const now = deps.clock();
  if (!(await isPermitted(deps.admins, deps.retention?.mayHold ?? [], deps.groupMembers, input.userId))) {
    await addAuditRecord(deps.db, { at: now, actorId: input.userId, action: 'retention.holds_viewed', outcome: 'refused', details: {} });
    return { text: 'Sorry, the list of legal holds is for Meridian admins and Legal (`retention.may_hold`).' };
  }
  const duties = deps.retention?.holds ?? [];
  const candidates = await incidentsMaybeHeld(
    deps.db,
    duties.map((d) => d.deadlineId),
    now,
  );
  const lines: string[] = [];
  let unnamed = 0;
  for (const incident of candidates) {
    const holds = await holdsOf(deps.db, deps.retention?.holds ?? [], incident.id, now);
    if (holds.length === 0) continue;
    // Legal may hold without being a member; a private incident is named (even by number) to its members and admins only.
    if (!(await canSeeIncident({ db: deps.db, admins: deps.admins }, incident, input.userId))) {
      unnamed += 1;
      continue;
    }
    const name = `INC-${incident.number}${incident.isPrivate ? ' (private)' : ''}: ${escapeMrkdwn(incident.title)}`;
    lines.push(`• *${name}*: ${holds.map(describeHold).join('; ')}`);
  }
  await addAuditRecord(deps.db, {
    at: now,
    actorId: input.userId,
    action: 'retention.holds_viewed',
    details: { shown: lines.length, privateNotShown: unnamed },
  });
  const others =
    unnamed > 0
      ? `\n${unnamed === 1 ? 'One private incident' : `${unnamed} private incidents`} you are not a member of ${unnamed === 1 ? 'is' : 'are'} also held; only ${unnamed === 1 ? 'its' : 'their'} members and Meridian admins see which. Their holds are in force whatever you can see: nothing in them is purged.`
      : '';
  if (lines.length === 0)
    return { text: unnamed > 0 ? `No incident you can see is under a legal hold.${others}` : 'No incident is under a legal hold.' };
  return { text: `*Legal holds in force* (${lines.length}):\n${lines.join('\n')}${others}` };
}

/** One hold in a line: why, by whom, until when. */
export function describeHold(hold: LegalHold): string {
  const until = hold.until ? `until ${hold.until.toISOString().slice(0, 10)}` : 'until released';
  const by = hold.heldBy ? ` (${userMention(hold.heldBy)})` : ' (preservation duty)';
  return `${escapeMrkdwn(hold.reason)}${by}, ${until}`;
}
