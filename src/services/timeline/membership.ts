/** Who is in an incident channel decides who may see a private incident, so membership follows the channel. */
import type { Db } from '../../db/client.js';
import { addIncidentMembers, type Incident } from '../../db/repos/incidents.js';
import { removeIncidentMember } from '../../db/repos/timeline.js';
import type { MembershipEvent } from './events.js';

/** member_joined_channel adds the person to the incident; member_left_channel removes them. */
export async function applyMembership(tx: Db, incident: Incident, event: MembershipEvent): Promise<void> {
  if (event.type === 'member_joined_channel') {
    await addIncidentMembers(tx, incident.id, [event.user]);
  } else {
    await removeIncidentMember(tx, incident.id, event.user);
  }
}
