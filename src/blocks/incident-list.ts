import type { KnownBlock } from '@slack/types';
import type { IncidentClock } from '../domain/clocks.js';
import type { Incident } from '../domain/incident.js';
import { nextDeadlineText } from './clock-messages.js';
import { channelLink, escapeInCode, escapeMrkdwn, slackDate } from '../slack-api/mrkdwn.js';
import { severityEmoji, severityLabel, STATUS_LABEL, type Catalog } from './catalog.js';
import { incidentRef, type RenderedMessage } from './incident-messages.js';
import { contextOf, section } from './kit.js';

/** Incidents on one page of `/incident list`: a message holds 50 blocks, and each incident is a section. */
export const INCIDENT_LIST_PAGE_SIZE = 45;

/** One page of the list, with the true count of every open incident the caller may see. */
export interface IncidentListView {
  readonly incidents: readonly Incident[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  /** Each incident's next deadline by incident id, shown under it. */
  readonly nextDeadlines?: ReadonlyMap<string, IncidentClock>;
}

/** `/incident list`: shown only to the caller, so private incidents they belong to may appear. */
export function incidentListMessage(list: IncidentListView, catalog: Catalog, now: Date): RenderedMessage {
  const { incidents, total, page, pageSize } = list;
  if (total === 0) {
    const text = ':sunny: No open incidents you can see.';
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const lines = incidents.slice(0, INCIDENT_LIST_PAGE_SIZE).map((i) => {
    const where = i.channelId ? channelLink(i.channelId) : '_channel pending_';
    const lock = i.isPrivate ? ':lock: ' : '';
    const next = list.nextDeadlines?.get(i.id);
    const deadline = next ? `\n      ${nextDeadlineText(next, now)}` : '';
    return `${severityEmoji(i.severity)} ${lock}*${incidentRef(i)}* ${escapeMrkdwn(i.title)}\n      ${escapeMrkdwn(severityLabel(catalog, i.severity))} | ${STATUS_LABEL[i.status] ?? i.status} | ${where} | since ${slackDate(i.declaredAt)}${deadline}`;
  });
  const first = (page - 1) * pageSize + 1;
  const last = first + lines.length - 1;
  const noun = `open incident${total === 1 ? '' : 's'}`;
  const header =
    lines.length === total
      ? `*${total} ${noun}*`
      : lines.length === 0
        ? `*${total} ${noun}*; page ${page} is past the end.`
        : `*Showing ${first}–${last} of ${total} ${noun}*`;
  const pages = Math.ceil(total / pageSize);
  const more =
    page < pages ? `${total - last} more: \`/incident list ${page + 1}\` shows the next ${Math.min(pageSize, total - last)}.` : null;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: header } }];
  // A section holds at most 3000 characters: one per incident keeps every one whole.
  for (const line of lines) blocks.push(section(line));
  if (more) blocks.push(contextOf(more));
  return { text: [header, ...lines, ...(more ? [more] : [])].join('\n'), blocks };
}

/** `/incident help`, and the answer to any subcommand we do not know. */
export function incidentHelpMessage(unknown?: string): RenderedMessage {
  const intro = unknown ? `I don't know \`${escapeInCode(unknown)}\`. Here is what I can do:` : 'Here is what I can do:';
  const text = [
    intro,
    '• `/incident` or `/incident declare <title>`: declare an incident (opens a form)',
    '• `/incident list`: open incidents you can see (`/incident list 2` for the next page)',
    '*In an incident channel*',
    '• `/incident status`: where it stands · `/incident ack`: acknowledge the page, stop escalating',
    '• `/incident sev` · `/incident update` · `/incident resolve`: change severity, post an update, resolve (forms)',
    '• `/incident role @person <role>` (or `/incident role` for a form): commander, comms lead, scribe, legal, policy, comms liaison, engineering',
    '• `/incident mitigate` · `/incident close` · `/incident cancel` · `/incident reopen`',
    '• `/incident note <text>` · `/incident timeline` · `/incident review`: the record and the review (a canvas in the channel) · `/incident review status draft|in-review|published`',
    "• `/incident deadline <when> [label]` (`in 3 hours`, `2026-03-02 17:00 Europe/Dublin`, or a kind's id); `/incident deadline <kind> received <when>` (or `received 20 minutes ago`) runs the kind from receipt of the order",
    '• `/incident deadline pause|resume|clear` · `/incident deadline extend <N hours> <reason>` · `/incident responded [note]` · `/incident deadlines`',
    '• `/incident follow-up <what>`: a follow-up with an owner, team and due date (a form) · `/incident follow-up edit|done FU-<n>` · `/incident follow-ups [mine|team <team>|overdue]`',
    '• `/incident similar [words]`: earlier incidents like this one (or like the words) · `/incident link INC-<n> related|duplicate|caused-by`',
    '• `/incident intake`: reports from outside Slack waiting for triage, oldest first',
    '• `/incident export <from> <to>`: the incidents declared those days (YYYY-MM-DD, UTC) as CSV, sent to your DM',
    '• `/incident report [weekly|monthly|<from> <to>]`: the digest, for you only (posted when typed in the reports channel)',
    "• `/incident order`: record an authority's order (legal basis, Member State, content type, receipt, effect) on this incident (a form)",
    '• `/incident ncmec`: the CyberTipline packet for a child-safety incident, and its report id once submitted (a form)',
    '• `/incident art18`: a DSA Art. 18 notification (suspected offence, Member States, authority informed) and its "promptly" clock (a form)',
    "• `/incident crisis <protocol> activate|conclude` (also `hashes <n>`, `told <who>`): an external crisis protocol such as GIFCT's",
    "• `/incident basis law|terms`: the action on this incident's reports was based on the law, or on the terms",
    '• `/incident transparency 2026-H1|2026-H2|2026|<from> <to>`: the DSA transparency figures (orders, notices) as CSV, sent to your DM',
    '• `/incident audit [INC-<n>] [by @person] [action <name>] [from YYYY-MM-DD] [to YYYY-MM-DD]` (admins): every change and refused attempt that matches, newest first',
    "• `/incident hold <reason> [until YYYY-MM-DD]` · `/incident release-hold <reason>` · `/incident holds` (admins, Legal): legal holds · `/incident held INC-<n>` (admins, the hold's owners): what a hold preserves",
    '• `/oncall`: who is on call now in every hub (`/oncall help` for more)',
    '• `/incident help`: this help',
  ].join('\n');
  return { text, blocks: [section(text)] };
}
