import { addIncidentMembers, updateIncident, type Incident } from '../../db/repos/incidents.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { setIncidentRole } from '../../db/repos/roles.js';
import { claimSlackDelivery } from '../../db/repos/slack-events.js';
import { ROLE_LABEL, isIncidentRole } from '../../domain/roles.js';
import { isSlackUserId } from '../../domain/slack-user.js';
import { userMention } from '../../slack-api/mrkdwn.js';
import { InvalidInput } from '../../errors.js';
import { roleAssignedLine } from '../../blocks/incident-changes.js';
import { incidentRef } from '../../blocks/incident-messages.js';
import type { IncidentDeps } from './context.js';
import { requireChanger } from './context.js';
import { publishChange } from './effects.js';

/**
 * Gives a role to a person: recorded (the commander also on the incident row, in the same
 * transaction), the person invited to the channel, and the card and topic updated. The
 * submission is claimed in that transaction: a replay of it answers the same and changes nothing.
 */
export async function assignRole(
  deps: IncidentDeps,
  input: { userId: string; incident: Incident; submissionKey: string; role?: string; assignee?: string },
): Promise<string> {
  const { incident, userId } = input;
  await requireChanger(deps, incident, userId, 'incident.role');
  const errors: Record<string, string> = {};
  const role = isIncidentRole(input.role) ? input.role : null;
  const assignee = isSlackUserId(input.assignee) ? input.assignee : null;
  if (!role) errors.role = 'Choose a role.';
  if (!assignee) errors.user = 'Choose a person.';
  if (Object.keys(errors).length || !role || !assignee) throw new InvalidInput(errors);
  const now = deps.clock();
  const done = `${userMention(assignee)} is now ${ROLE_LABEL[role]} of ${incidentRef(incident)}.`;
  const claimed = await deps.db.transaction(async (tx) => {
    if (!(await claimSlackDelivery(tx, input.submissionKey))) return false;
    await setIncidentRole(tx, { incidentId: incident.id, role, userId: assignee, assignedBy: userId, assignedAt: now });
    if (role === 'commander') await updateIncident(tx, incident.id, { commanderId: assignee });
    await addIncidentMembers(tx, incident.id, [assignee]);
    await addTimelineEntry(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'role_assigned',
      actorId: userId,
      text: `${ROLE_LABEL[role]}: ${assignee}`,
      data: { role, userId: assignee },
    });
    await addAuditRecord(tx, {
      incidentId: incident.id,
      at: now,
      actorId: userId,
      action: 'incident.role',
      details: { role, userId: assignee },
    });
    return true;
  });
  if (!claimed) return done;
  if (incident.channelId) {
    await deps.slack.invite(incident.channelId, [assignee]).catch((err: unknown) => deps.logger.warn({ err }, 'role holder not invited'));
  }
  await publishChange(deps, incident.id, { channelText: roleAssignedLine(role, assignee, userId) });
  return done;
}
