import type { Incident } from '../domain/incident.js';
import { ROLE_LABEL, type IncidentRole } from '../domain/roles.js';
import { formatDuration } from '../domain/duration.js';
import { truncate } from '../domain/text.js';
import { channelLink, escapeMrkdwn, slackDate, userMention } from '../slack-api/mrkdwn.js';
import { severityEmoji, severityLabel, STATUS_LABEL, type Catalog } from './catalog.js';
import { contextOf, section, sectionsOf } from './kit.js';
import { CARD_ACTIONS, incidentRef, type RenderedMessage } from './incident-messages.js';

export const OPEN_UPDATE_MODAL_ACTION = CARD_ACTIONS.update;

/** A message whose text may hold user text of any length: as many sections as it needs. */
const message = (text: string): RenderedMessage => ({ text, blocks: sectionsOf(text) });

export function statusChangedLine(incident: Incident, from: string, userId: string, reason?: string): string {
  const why = reason ? `: ${escapeMrkdwn(reason)}` : '';
  return `:arrows_counterclockwise: ${userMention(userId)} moved ${incidentRef(incident)} from *${STATUS_LABEL[from] ?? from}* to *${STATUS_LABEL[incident.status] ?? incident.status}*${why}`;
}

export function severityChangedLine(incident: Incident, from: string, userId: string, reason: string, catalog: Catalog): string {
  const direction = severityRank(incident.severity) < severityRank(from) ? 'raised' : 'lowered';
  return `${severityEmoji(incident.severity)} ${userMention(userId)} ${direction} the severity from *${escapeMrkdwn(severityLabel(catalog, from))}* to *${escapeMrkdwn(severityLabel(catalog, incident.severity))}*: ${escapeMrkdwn(reason)}`;
}

function severityRank(s: string): number {
  return Number(s.replace(/\D/g, '')) || 9;
}

/** The feed's line for a public incident's change. */
export function feedChange(incident: Incident, what: string, catalog: Catalog): RenderedMessage {
  const where = incident.channelId ? ` ${channelLink(incident.channelId)}` : '';
  return message(
    `${severityEmoji(incident.severity)} *${incidentRef(incident)}* ${what}: ${escapeMrkdwn(incident.title)} (${escapeMrkdwn(severityLabel(catalog, incident.severity))})${where}`,
  );
}

export function roleAssignedLine(role: IncidentRole, userId: string, by: string): string {
  return `:busts_in_silhouette: ${userMention(by)} made ${userMention(userId)} *${ROLE_LABEL[role]}*.`;
}

export interface StatusUpdate {
  status: string;
  known: string;
  doing: string;
  nextUpdateAt: Date | null;
  authorId: string;
  at: Date;
}

/** A status update Meridian posted (channel or feed), once its text was redacted (issue 24): the placeholder in place of what it said. */
export function redactedUpdateMessage(incident: Incident, note: string): RenderedMessage {
  return message(`:memo: *Status update, ${incidentRef(incident)}*\n${escapeMrkdwn(note)}`);
}

/** The status update as posted in the incident channel. */
export function statusUpdateMessage(incident: Incident, update: StatusUpdate, catalog: Catalog): RenderedMessage {
  const next = update.nextUpdateAt ? `Next update ${slackDate(update.nextUpdateAt)}` : 'Next update when there is news';
  const head = `:memo: *Status update, ${incidentRef(incident)}* | ${escapeMrkdwn(severityLabel(catalog, incident.severity))} | *${STATUS_LABEL[update.status] ?? update.status}*`;
  return {
    text: `Status update ${incidentRef(incident)}: ${escapeMrkdwn(update.known)}`,
    blocks: [
      section(head),
      ...sectionsOf(`*What we know*\n${escapeMrkdwn(update.known)}`),
      ...sectionsOf(`*What we are doing*\n${escapeMrkdwn(update.doing)}`),
      contextOf(`Posted by ${userMention(update.authorId)} ${slackDate(update.at)} | ${next}`),
    ],
  };
}

/** The compact update in the feed (public incidents only). */
export function feedStatusUpdate(incident: Incident, update: StatusUpdate, catalog: Catalog): RenderedMessage {
  const where = incident.channelId ? ` ${channelLink(incident.channelId)}` : '';
  const known = truncate(update.known, 280);
  return message(
    `:memo: *${incidentRef(incident)}* ${STATUS_LABEL[update.status] ?? update.status} (${escapeMrkdwn(severityLabel(catalog, incident.severity))}): ${escapeMrkdwn(known)}${where}`,
  );
}

export function resolvedMessage(incident: Incident, userId: string): RenderedMessage {
  const follow = incident.followUps.length ? `\n*Follow-ups*\n${incident.followUps.map((f) => `• ${escapeMrkdwn(f)}`).join('\n')}` : '';
  const took = formatDuration(Math.max(0, (incident.resolvedAt ?? new Date()).getTime() - incident.declaredAt.getTime()));
  const text = `:white_check_mark: ${userMention(userId)} resolved ${incidentRef(incident)} after ${took}.\n*Resolution*\n${escapeMrkdwn(incident.resolutionSummary ?? '')}${incident.mitigation ? `\n*What mitigated it*\n${escapeMrkdwn(incident.mitigation)}` : ''}${follow}`;
  return message(text);
}

/** The nudge when no update was posted within the severity's cadence. */
export function reminderMessage(incident: Incident, sinceMs: number, everyMinutes: number, catalog: Catalog): RenderedMessage {
  const who = incident.commanderId ? `${userMention(incident.commanderId)} ` : '';
  const text = `:bell: ${who}${incidentRef(incident)} has had no status update for ${formatDuration(sinceMs)}; ${escapeMrkdwn(severityLabel(catalog, incident.severity))} asks for one every ${everyMinutes} min.`;
  return {
    text,
    blocks: [
      section(text),
      {
        type: 'actions',
        block_id: 'reminder',
        elements: [
          {
            type: 'button',
            action_id: OPEN_UPDATE_MODAL_ACTION,
            value: incident.id,
            style: 'primary',
            text: { type: 'plain_text', text: 'Post update' },
          },
        ],
      },
    ],
  };
}
