import type { AuditAction } from '../../domain/audit-actions.js';
/**
 * `/incident crisis <protocol> activate|conclude|hashes <n>|told <who>`: an external crisis
 * protocol (GIFCT IRF, EU crisis response, Christchurch Call) the incident is under. Its state is
 * not the incident's status; the card shows it while active; concluding it posts the debrief reminder.
 */
import { concludeCrisisActivation, activeCrisisProtocols, insertCrisisActivation, updateCrisisActivation } from '../../db/repos/crisis.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { formatDuration } from '../../domain/duration.js';
import { DEFAULT_FOLLOW_UPS } from '../../domain/follow-ups.js';
import { UserError } from '../../errors.js';
import { escapeMrkdwn } from '../../slack-api/mrkdwn.js';
import { refreshIncidentCard } from '../incident-card.js';
import { locateIncident, requireChanger } from '../incident/context.js';
import type { RegulatoryDeps } from './deps.js';

const USAGE =
  '`/incident crisis <protocol> activate|conclude`, `/incident crisis <protocol> hashes <n>`, `/incident crisis <protocol> told <who>`';

/**
 * The formal debrief every protocol ends with, as a tracked follow-up owned by the commander (the
 * person concluding when there is none), due after the follow-ups' default days; its owner is told
 * and reminded like any follow-up. Without follow-ups (or if it cannot be made), the reminder below.
 */
async function debriefFollowUp(
  deps: RegulatoryDeps,
  incident: { id: string; number: number; commanderId: string | null },
  protocolName: string,
  activationId: string,
  userId: string,
  now: Date,
): Promise<string> {
  if (!deps.createFollowUp) return debriefReminder(protocolName, userId);
  const ownerId = incident.commanderId ?? userId;
  const days = deps.meridian.followUps?.defaultDueDays ?? DEFAULT_FOLLOW_UPS.defaultDueDays;
  try {
    const followUp = await deps.createFollowUp({
      incidentId: incident.id,
      title: `Debrief: ${protocolName} (INC-${incident.number})`.slice(0, 150),
      ownerId,
      dueAt: new Date(now.getTime() + days * 86_400_000),
      createdBy: userId,
      submissionKey: `crisis-debrief:${activationId}`,
    });
    return `:memo: Debrief follow-up FU-${followUp.number} for <@${ownerId}>, due in ${days} days: hold the formal debrief with the protocol's members and record what the review should keep.`;
  } catch (err) {
    deps.logger.warn({ err, incidentId: incident.id }, 'could not create the crisis debrief follow-up; posting the reminder');
    return debriefReminder(protocolName, userId);
  }
}

/** The debrief reminder posted in the channel when a protocol concludes and no follow-up could be made. */
export function debriefReminder(protocolName: string, userId: string): string {
  return `:memo: Debrief follow-up: ${escapeMrkdwn(protocolName)} concluded. <@${userId}>, hold the formal debrief with the protocol's members and record what the review should keep (\`/incident note\`).`;
}

export async function crisisCommand(deps: RegulatoryDeps, input: { userId: string; channelId: string; args: string }): Promise<string> {
  const protocols = deps.meridian.crisisProtocols ?? [];
  const [id = '', op = '', ...rest] = input.args.split(/\s+/).filter(Boolean);
  const protocol = protocols.find((p) => p.id === id.toLowerCase());
  if (!protocol) {
    const known = protocols.map((p) => `\`${p.id}\``).join(', ') || 'none: add them under `crisis_protocols:` in the config';
    throw new UserError(
      'unknown_crisis_protocol',
      `${id ? `I don't know the protocol \`${escapeMrkdwn(id.slice(0, 40))}\`. ` : ''}Protocols: ${known}. Use ${USAGE}.`,
    );
  }
  const incident = await locateIncident(deps, { channelId: input.channelId }, input.userId);
  const action: AuditAction = op === 'activate' || op === 'conclude' || op === 'hashes' || op === 'told' ? `crisis.${op}` : 'crisis.change';
  await requireChanger(deps, incident, input.userId, action);
  const now = deps.clock();
  const [active] = (await activeCrisisProtocols(deps.db, incident.id)).filter((a) => a.protocolId === protocol.id);
  const name = escapeMrkdwn(protocol.name);
  let line: string;
  let reply: string;
  const record = async (details: Record<string, unknown>, text: string) => {
    await addTimelineEntry(deps.db, {
      incidentId: incident.id,
      at: now,
      kind: action.replace('.', '_'),
      actorId: input.userId,
      text,
      data: { protocolId: protocol.id, ...details },
    });
    await addAuditRecord(deps.db, {
      incidentId: incident.id,
      at: now,
      actorId: input.userId,
      action,
      details: { protocolId: protocol.id, ...details },
    });
  };
  switch (op) {
    case 'activate': {
      if (active) throw new UserError('crisis_active', `${name} is already active on this incident.`);
      const row = await insertCrisisActivation(deps.db, {
        incidentId: incident.id,
        protocolId: protocol.id,
        protocolName: protocol.name,
        activatedAt: now,
        activatedBy: input.userId,
      });
      await record({ activationId: row.id }, `Crisis protocol activated: ${protocol.name}`);
      line = `:rotating_light: ${name} activated by <@${input.userId}>.`;
      reply = `Recorded: ${name} active.`;
      break;
    }
    case 'conclude': {
      if (!active) throw new UserError('crisis_not_active', `${name} is not active on this incident.`);
      const row = await concludeCrisisActivation(deps.db, active.id, now, input.userId);
      if (!row) throw new UserError('crisis_not_active', `${name} is not active on this incident.`);
      const ran = formatDuration(now.getTime() - active.activatedAt.getTime());
      await record(
        { activationId: row.id, ranMs: now.getTime() - active.activatedAt.getTime() },
        `Crisis protocol concluded: ${protocol.name} (${ran})`,
      );
      const debrief = await debriefFollowUp(deps, incident, protocol.name, row.id, input.userId, now);
      line = `:white_check_mark: ${name} concluded by <@${input.userId}> after ${ran}.\n${debrief}`;
      reply = `Recorded: ${name} concluded after ${ran}.`;
      break;
    }
    case 'hashes': {
      const n = Number(rest[0]);
      if (!active) throw new UserError('crisis_not_active', `${name} is not active on this incident.`);
      if (!Number.isInteger(n) || n < 0 || n > 10_000_000)
        throw new UserError('bad_hashes', 'Give the number of hashes contributed: `/incident crisis <protocol> hashes 12`.');
      await updateCrisisActivation(deps.db, active.id, { hashesContributed: n });
      await record({ hashesContributed: n }, `${protocol.name}: ${n} hashes contributed`);
      line = `:hash: ${name}: ${n} hashes contributed.`;
      reply = `Recorded: ${n} hashes contributed.`;
      break;
    }
    case 'told': {
      const who = rest.join(' ').trim().slice(0, 200);
      if (!active) throw new UserError('crisis_not_active', `${name} is not active on this incident.`);
      if (!who) throw new UserError('bad_told', 'Say who was told: `/incident crisis <protocol> told GIFCT members, UN CTED`.');
      await updateCrisisActivation(deps.db, active.id, { told: [...active.told, { who, at: now.toISOString() }] });
      await record({ told: who }, `${protocol.name}: told ${who}`);
      line = `:loudspeaker: ${name}: told ${escapeMrkdwn(who)}.`;
      reply = `Recorded: told ${escapeMrkdwn(who)}.`;
      break;
    }
    default:
      throw new UserError('bad_crisis_command', `Use ${USAGE}.`);
  }
  if (incident.channelId)
    await deps.slack
      .postMessage({ channel: incident.channelId, text: line })
      .catch((err: unknown) => deps.logger.warn({ err }, 'crisis line not posted'));
  await refreshIncidentCard(deps, incident.id).catch((err: unknown) => deps.logger.warn({ err }, 'card not refreshed'));
  return reply;
}
