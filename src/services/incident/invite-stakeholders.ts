import type { MeridianConfig } from '../../config-file/types.js';
import type { Db } from '../../db/client.js';
import { addIncidentMembers, type Incident } from '../../db/repos/incidents.js';
import { addTimelineEntry } from '../../db/repos/record.js';
import { stakeholdersFor } from '../../domain/incident-policy.js';
import type { Logger } from '../../log.js';
import { userMention } from '../../slack-api/mrkdwn.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';

export interface InviteStakeholdersDeps {
  db: Db;
  slack: Pick<SlackGateway, 'invite' | 'postMessage' | 'usergroupMembers' | 'lookupUserByEmail'>;
  meridian: Pick<MeridianConfig, 'categories' | 'severities'>;
  logger: Logger;
  clock: Clock;
}

/**
 * Invites the stakeholders the incident's category and severity name (Legal, Comms, ...) to its
 * channel. Inviting someone already there is harmless, so this runs at set-up and after every
 * severity raise; the channel hears about the people who were actually added.
 */
export async function inviteStakeholders(deps: InviteStakeholdersDeps, incident: Incident): Promise<string[]> {
  if (!incident.channelId) return [];
  const people = new Set<string>();
  for (const target of stakeholdersFor(deps.meridian, incident)) {
    if (target.kind === 'usergroup') {
      for (const id of await deps.slack.usergroupMembers(target.usergroupId)) people.add(id);
    } else {
      const id = target.user.kind === 'user' ? target.user.userId : await deps.slack.lookupUserByEmail(target.user.email);
      if (id) people.add(id);
    }
  }
  if (people.size === 0) return [];
  const { invited } = await deps.slack.invite(incident.channelId, [...people]);
  await addIncidentMembers(deps.db, incident.id, [...people]);
  if (invited.length > 0) {
    await addTimelineEntry(deps.db, {
      incidentId: incident.id,
      at: deps.clock(),
      kind: 'stakeholders_invited',
      actorId: null,
      text: `Stakeholders invited: ${invited.length}`,
      data: { userIds: invited },
    });
    await deps.slack.postMessage({
      channel: incident.channelId,
      text: `:busts_in_silhouette: Invited the stakeholders this severity and category call for: ${invited.map(userMention).join(' ')}`,
    });
  }
  return invited;
}
