import type { KnownBlock } from '@slack/types';
import type { Incident } from '../domain/incident.js';
import { channelLink, escapeMrkdwn, slackDate } from '../slack-api/mrkdwn.js';
import { severityEmoji, severityLabel, STATUS_LABEL, type Catalog } from './catalog.js';
import { incidentRef, type RenderedMessage } from './incident-messages.js';

/** `/incident list`: shown only to the caller, so private incidents they belong to may appear. */
export function incidentListMessage(incidents: readonly Incident[], catalog: Catalog): RenderedMessage {
  if (incidents.length === 0) {
    const text = ':sunny: No open incidents you can see.';
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const lines = incidents.map((i) => {
    const where = i.channelId ? channelLink(i.channelId) : '_channel pending_';
    const lock = i.isPrivate ? ':lock: ' : '';
    return `${severityEmoji(i.severity)} ${lock}*${incidentRef(i)}* ${escapeMrkdwn(i.title)}\n      ${escapeMrkdwn(severityLabel(catalog, i.severity))} | ${STATUS_LABEL[i.status] ?? i.status} | ${where} | since ${slackDate(i.declaredAt)}`;
  });
  const header = `*${incidents.length} open incident${incidents.length === 1 ? '' : 's'}*`;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: header } }];
  // A section holds at most 3000 characters: one per incident keeps every one whole.
  for (const line of lines.slice(0, 45)) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: line.slice(0, 3000) } });
  return { text: `${header}\n${lines.join('\n')}`, blocks };
}

/** `/incident help`, and the answer to any subcommand we do not know. */
export function incidentHelpMessage(unknown?: string): RenderedMessage {
  const intro = unknown ? `I don't know \`${escapeMrkdwn(unknown)}\`. Here is what I can do:` : 'Here is what I can do:';
  const text = [
    intro,
    '• `/incident` or `/incident declare <title>`: declare an incident (opens a form)',
    '• `/incident list`: open incidents you can see',
    '*In an incident channel*',
    '• `/incident status`: where it stands · `/incident ack`: acknowledge the page, stop escalating',
    '• `/incident sev` · `/incident update` · `/incident resolve`: change severity, post an update, resolve (forms)',
    '• `/incident role @person <role>` (or `/incident role` for a form): commander, comms lead, scribe, legal, policy, comms liaison, engineering',
    '• `/incident mitigate` · `/incident close` · `/incident cancel` · `/incident reopen`',
    '• `/incident note <text>` · `/incident timeline` · `/incident review`: the record and the review draft',
    '• `/oncall`: who is on call now in every hub (`/oncall help` for more)',
    '• `/incident help`: this help',
  ].join('\n');
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
