/**
 * Who may change an incident (status, severity, roles, updates): its commander, the person who
 * declared it, and the admins named in the config file. Everyone else can read and comment.
 */
import { mentionOf } from './slack-user.js';

/** The people of an incident that permissions look at. */
export interface IncidentOwners {
  readonly commanderId: string | null;
  readonly declaredBy: string;
}

export interface ChangeRequest {
  readonly userId: string;
  readonly incident: IncidentOwners;
  readonly admins: readonly string[];
}

/** Whether `userId` may change the incident. An empty user id is nobody. */
export function canChangeIncident({ userId, incident, admins }: ChangeRequest): boolean {
  if (!userId) return false;
  return userId === incident.commanderId || userId === incident.declaredBy || admins.includes(userId);
}

/**
 * The polite refusal for someone who may not change the incident, naming the commander and
 * the declarer so they know whom to ask: "Only the commander (<@U1>), the declarer (<@U2>) or
 * an admin can change this incident." An id that is not a Slack user id is left unnamed rather
 * than written into a mention.
 */
export function changeRefusalMessage(incident: IncidentOwners): string {
  const commander = mentionOf(incident.commanderId);
  const declarer = mentionOf(incident.declaredBy);
  const people: string[] = [];
  if (commander && commander === declarer) {
    people.push(`the commander and declarer (${commander})`);
  } else {
    if (incident.commanderId !== null) people.push(commander ? `the commander (${commander})` : 'the commander');
    people.push(declarer ? `the declarer (${declarer})` : 'the declarer');
  }
  return `Only ${people.join(', ')} or an admin can change this incident.`;
}
