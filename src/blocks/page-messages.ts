import type { KnownBlock } from '@slack/types';
import type { Incident } from '../domain/incident.js';
import type { PageReason } from '../domain/paging.js';
import { channelLink, escapeMrkdwn, slackDate, userMention, usergroupMention } from '../slack-api/mrkdwn.js';
import { formatDuration } from '../domain/duration.js';
import { clockInZone } from '../domain/zoned-format.js';
import { cityOf } from './oncall-format.js';
import { isSensitiveCategory, severityEmoji, severityLabel, type Catalog } from './catalog.js';
import { incidentRef, type RenderedMessage } from './incident-messages.js';
import { section } from './kit.js';

export const PAGE_ACK_ACTION = 'page_ack';
export const PAGE_ESCALATE_ACTION = 'page_escalate';

/** "14:05": the wall time in a zone (the process zone never leaks in). */
export function wallTime(at: Date, timeZone: string): string {
  return clockInZone(at, timeZone);
}

/** "; round 2 of 3, nobody acknowledged round 1": a repeated round says which, and why. */
function repeatText(reason: PageReason): string {
  const { repeat } = reason;
  if (!repeat) return '';
  const earlier = repeat.round === 2 ? 'round 1' : `rounds 1-${repeat.round - 1}`;
  return `; round ${repeat.round} of ${repeat.rounds}, nobody acknowledged ${earlier}`;
}

function reasonText(reason: PageReason, at: Date): string {
  return `${whyText(reason, at)}${repeatText(reason)}`;
}

function whyText(reason: PageReason, at: Date): string {
  switch (reason.kind) {
    case 'schedule': {
      if (reason.override) return `covering ${escapeMrkdwn(reason.scheduleName)} (override)`;
      const hub = reason.layerName ? `on call for ${escapeMrkdwn(reason.layerName)}` : `on call for ${escapeMrkdwn(reason.scheduleName)}`;
      return reason.timeZone ? `${hub}, ${wallTime(at, reason.timeZone)} in ${cityOf(reason.timeZone)}` : hub;
    }
    case 'user':
      return 'named in the escalation policy';
    case 'usergroup':
      return `via ${usergroupMention(reason.usergroupId)}`;
  }
}

/**
 * The reason as the incident channel reads it: a user group is named by its handle as plain
 * text (`@tns-leads`, or "a user group" without one), never mentioned, so the group is not
 * notified again on top of the DMs each member got.
 */
function channelReasonText(reason: PageReason, at: Date): string {
  if (reason.kind !== 'usergroup') return reasonText(reason, at);
  const group = reason.usergroupName ? `via the user group @${escapeMrkdwn(reason.usergroupName)}` : 'via a user group';
  return `${group}${repeatText(reason)}`;
}

/**
 * What a DM or a notification may say about the incident: its title, or for a sensitive category
 * (child safety, self-harm) only the category's name. A DM's text is what a phone's lock screen
 * shows; the title is one click away in the incident channel.
 */
export function dmSubject(incident: Pick<Incident, 'title' | 'category'>, catalog: Pick<Catalog, 'categories'>): string {
  if (!isSensitiveCategory(catalog, incident.category)) return escapeMrkdwn(incident.title);
  const name = catalog.categories.find((c) => c.id === incident.category)?.name ?? incident.category;
  return `${escapeMrkdwn(name)} (details in the channel)`;
}

/** The DM a paged responder gets, with the two buttons that matter at 3 a.m. */
export function pageDm(incident: Incident, pageId: string, reason: PageReason, at: Date, catalog: Catalog): RenderedMessage {
  const sev = escapeMrkdwn(severityLabel(catalog, incident.severity));
  const where = incident.channelId ? channelLink(incident.channelId) : '_channel being created_';
  const subject = dmSubject(incident, catalog);
  const head = `${severityEmoji(incident.severity)} *You are paged for ${incidentRef(incident)}* (${sev}): ${subject}`;
  return {
    text: `Paged: ${incidentRef(incident)} (${sev}) ${subject}`,
    blocks: [
      section(head),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `${where} | you are ${reasonText(reason, at)} | paged ${slackDate(at)}` }],
      },
      {
        type: 'actions',
        block_id: 'page',
        elements: [
          {
            type: 'button',
            action_id: PAGE_ACK_ACTION,
            value: pageId,
            style: 'primary',
            text: { type: 'plain_text', text: 'Acknowledge' },
          },
          { type: 'button', action_id: PAGE_ESCALATE_ACTION, value: pageId, text: { type: 'plain_text', text: 'Escalate' } },
        ],
      },
    ],
  };
}

/** The DM once the page is settled: no buttons left to press by mistake. */
export function settledPageDm(
  incident: Incident,
  outcome: { by: string; at: Date; self: boolean } | 'cancelled',
  catalog: Catalog,
): RenderedMessage {
  const sev = escapeMrkdwn(severityLabel(catalog, incident.severity));
  const what =
    outcome === 'cancelled'
      ? 'paging stopped (the incident is no longer open)'
      : outcome.self
        ? `you acknowledged ${slackDate(outcome.at)}`
        : `acknowledged by ${userMention(outcome.by)} ${slackDate(outcome.at)}`;
  const text = `:white_check_mark: ${incidentRef(incident)} (${sev}) ${dmSubject(incident, catalog)}: ${what}`;
  return { text, blocks: [section(text)] };
}

/**
 * The page DM after Escalate: it says who escalated and when, and keeps only Acknowledge (the
 * person may still take it), so the next step cannot be paged again from here.
 */
export function escalatedPageDm(
  incident: Incident,
  page: { id: string; reason: PageReason; pagedAt: Date },
  escalated: { by: string; at: Date },
  catalog: Catalog,
): RenderedMessage {
  const dm = pageDm(incident, page.id, page.reason, page.pagedAt, catalog);
  const line = `:arrow_double_up: Escalated by ${userMention(escalated.by)} ${slackDate(escalated.at)}: the next step is being paged.`;
  const blocks = dm.blocks.flatMap((block): KnownBlock[] => {
    if (block.type !== 'actions') return [block];
    const elements = block.elements.filter((el) => !('action_id' in el) || el.action_id !== PAGE_ESCALATE_ACTION);
    return [
      { type: 'context', elements: [{ type: 'mrkdwn', text: line }] },
      { ...block, elements },
    ];
  });
  return { text: `${dm.text} (escalated)`, blocks };
}

/** The incident channel's line for a page. */
export function pageLine(userId: string, reason: PageReason, at: Date): string {
  return `:pager: Paged ${userMention(userId)}, ${channelReasonText(reason, at)}`;
}

export function nobodyReachedLine(stepNumber: number, nextDue: 'now' | 'alert'): string {
  const then = nextDue === 'now' ? 'moving on to the next step now' : 'no steps are left';
  return `:warning: Escalation step ${stepNumber + 1} reached nobody (no one on call, or an empty group); ${then}.`;
}

/** People a step could not reach by DM (deactivated, unknown to Slack): said loudly, never silently skipped. */
export function unreachableLine(people: ReadonlyArray<{ userId: string; code: string }>): string {
  return `:warning: Could not page ${people.map((p) => `${userMention(p.userId)} (${p.code})`).join(', ')}; the escalation goes on without them.`;
}

export function acknowledgedLine(userId: string, ttaMs: number): string {
  return `:white_check_mark: ${userMention(userId)} acknowledged. Time to acknowledge: ${formatDuration(ttaMs)}.`;
}

export function escalatedLine(userId: string): string {
  return `:arrow_double_up: ${userMention(userId)} escalated: paging the next step now.`;
}

/**
 * The feed alert when every step and repeat went unanswered. A private incident's title and
 * channel never reach the feed: only its number, for the admins to follow up.
 */
export function unacknowledgedAlert(incident: Incident, rounds: number, admins: readonly string[], catalog: Catalog): RenderedMessage {
  const sev = escapeMrkdwn(severityLabel(catalog, incident.severity));
  const who = admins.length ? ` ${admins.map(userMention).join(' ')}` : '';
  const text = incident.isPrivate
    ? `:rotating_light: A private ${sev} incident (${incidentRef(incident)}) is still unacknowledged after ${rounds} round${rounds === 1 ? '' : 's'} of paging.${who}`
    : `:rotating_light: ${incidentRef(incident)} (${sev}) is still unacknowledged after ${rounds} round${rounds === 1 ? '' : 's'} of paging: ${escapeMrkdwn(incident.title)}${incident.channelId ? ` ${channelLink(incident.channelId)}` : ''}${who}`;
  const blocks: KnownBlock[] = [section(text)];
  return { text, blocks };
}
