/** What a page says by SMS, on a call and by email. A private or sensitive incident's title never leaves Slack. */
import { severityLabel, type Catalog, isSensitiveCategory } from '../../blocks/catalog.js';
import type { Incident } from '../../db/repos/incidents.js';

function titleMayTravel(catalog: Catalog, incident: Incident): boolean {
  return !incident.isPrivate && !isSensitiveCategory(catalog, incident.category);
}

/** The tag a retry looks for in Twilio's message list. */
export const smsTag = (notificationId: string) => `ref ${notificationId.slice(0, 8)}`;

export function smsBody(catalog: Catalog, incident: Incident, replyCode: number, notificationId: string): string {
  const title = titleMayTravel(catalog, incident) ? ` ${incident.title.slice(0, 60)}` : '';
  return `Meridian page: INC-${incident.number} ${severityLabel(catalog, incident.severity)}${title}. Reply ${replyCode}a to acknowledge, ${replyCode}e to escalate. (${smsTag(notificationId)})`;
}

const xml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function callTwiml(catalog: Catalog, incident: Incident, gatherUrl: string): string {
  const said = `Meridian page for incident ${incident.number}, ${severityLabel(catalog, incident.severity)}. Press 4 to acknowledge. Press 5 to escalate.`;
  return `<Response><Gather numDigits="1" method="POST" action="${xml(gatherUrl)}"><Say>${xml(said)}</Say><Pause length="2"/><Say>${xml(said)}</Say></Gather><Say>No key pressed. Goodbye.</Say></Response>`;
}

export function pageEmail(catalog: Catalog, incident: Incident, ackUrl: string): { subject: string; text: string; html: string } {
  const title = titleMayTravel(catalog, incident) ? `: ${incident.title}` : '';
  const subject = `[Meridian] Page: INC-${incident.number} ${severityLabel(catalog, incident.severity)}${title}`;
  const text = `You are paged for INC-${incident.number}${title}.\n\nAcknowledge: ${ackUrl}\n\nThe link works once, for 24 hours. Or acknowledge in Slack.\n`;
  const html = `<p>You are paged for INC-${incident.number}${xml(title)}.</p><p><a href="${xml(ackUrl)}">Acknowledge</a></p><p>The link works once, for 24 hours. Or acknowledge in Slack.</p>`;
  return { subject, text, html };
}
