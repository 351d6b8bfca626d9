import { CARD_FOLLOW_UP_ACTION, cardFollowUpLine } from './follow-ups.js';
import type { FollowUp } from '../domain/follow-ups.js';
import type { LegalHold } from '../domain/retention.js';
import type { KnownBlock } from '@slack/types';
import type { IncidentClock } from '../domain/clocks.js';
import type { Incident } from '../domain/incident.js';
import { EFFECT_GIVEN, type EffectGiven, type OrderType } from '../domain/orders.js';
import { cardClockBlocks } from './clock-messages.js';
import { channelLink, escapeMrkdwn, slackDate, userMention } from '../slack-api/mrkdwn.js';
import { categoryName, isSensitiveCategory, severityEmoji, severityLabel, STATUS_LABEL, type Catalog } from './catalog.js';
import { contextOf, fitText, section, sectionsOf } from './kit.js';
import { SLACK_LIMITS } from './slack-limits.js';

export interface RenderedMessage {
  /** Notification and screen-reader text; every piece of user text in it is escaped. */
  text: string;
  blocks: KnownBlock[];
}

export function incidentRef(incident: Pick<Incident, 'number'>): string {
  return `INC-${incident.number}`;
}

function field(label: string, value: string) {
  return { type: 'mrkdwn' as const, text: fitText(`*${label}*\n${value}`, SLACK_LIMITS.fieldText) };
}

export const INCIDENT_ACK_ACTION = 'incident_ack';

/** Paging state the card shows. */
export interface CardPaging {
  status: 'active' | 'acknowledged' | 'exhausted' | 'cancelled' | 'none';
  acknowledgedBy?: string | null;
  acknowledgedAt?: Date | null;
}

/** Card buttons besides Acknowledge; each opens the matching modal for the incident. */
export const CARD_ACTIONS = {
  severity: 'card_severity',
  update: 'card_update',
  role: 'card_role',
  resolve: 'card_resolve',
} as const;

/** The card's "Record order" button (the regulatory record); its value is the incident id. */
export const CARD_ORDER_ACTION = 'card_order';
/** The "Edit" button beside each order the card lists; its value is the order id. */
export const CARD_ORDER_EDIT_ACTION = 'card_order_edit';
/** How many orders the card lists (newest last); the rest are counted. */
export const CARD_ORDERS_SHOWN = 5;

/** An order as the card lists it; effect as recorded, else as its incident's clocks supply it. */
export interface CardOrder {
  id: string;
  orderType: OrderType;
  issuingAuthority: string;
  memberState: string | null;
  otherJurisdiction: string | null;
  receivedAt: Date;
  effectGiven: EffectGiven | null;
  effectGivenAt: Date | null;
}

/** What the card shows besides the incident row. */
export interface CardState {
  paging: CardPaging;
  /** Role holders other than the commander, in assignment order. */
  roles: ReadonlyArray<{ label: string; userId: string }>;
  /**
   * Response clocks, soonest due first, and the instant their time left is counted from;
   * `orderZone`, the time zone of the incident's order (its Member State), when one is recorded.
   */
  clocks?: { list: readonly IncidentClock[]; now: Date; orderZone?: string | null };
  /** The category's runbook: steps done of all; absent when it has none. */
  runbook?: { done: number; total: number };
  /** Its follow-ups, and the instant "overdue" is counted from. */
  followUps?: { list: readonly FollowUp[]; now: Date };
  /** Authorities' orders on the incident, oldest first; `recordable`: the card offers "Record order". */
  orders?: { list: readonly CardOrder[]; recordable: boolean };
  /** External crisis protocols active on the incident (GIFCT IRF, ...), oldest first. */
  crisis?: ReadonlyArray<{ name: string; activatedAt: Date }>;
  /** Legal holds in force (issue 24): the card says the incident is held, until when. */
  holds?: readonly LegalHold[];
  /** Links to other incidents (`/incident link`), as `linkText` words them; private ones left out. */
  links?: readonly string[];
}

/** The card's line for incidents of a sensitive category. */
export const SENSITIVE_CONTENT_NOTE =
  ':warning: Content note: this incident involves material that may be distressing. Take breaks; hand over when you need to.';

/** The pinned card at the top of the incident channel, kept current with chat.update. */
export function incidentCard(
  incident: Incident,
  catalog: Catalog,
  state: CardState = { paging: { status: 'none' }, roles: [] },
): RenderedMessage {
  const sev = severityLabel(catalog, incident.severity);
  const title = escapeMrkdwn(incident.title);
  const status = STATUS_LABEL[incident.status] ?? incident.status;
  const open = incident.status === 'investigating' || incident.status === 'mitigated';
  const fields = [
    field('Severity', escapeMrkdwn(sev)),
    field('Status', status),
    field('Category', escapeMrkdwn(categoryName(catalog, incident.category))),
    field('Commander', incident.commanderId ? userMention(incident.commanderId) : '_unassigned_'),
    field('Declared', `${slackDate(incident.declaredAt, '{ago}')} by ${userMention(incident.declaredBy)}`),
    field(
      'Last update',
      incident.lastUpdateAt && incident.lastUpdateAt > incident.declaredAt ? slackDate(incident.lastUpdateAt, '{ago}') : '_none yet_',
    ),
    field('Paging', pagingText(state.paging)),
  ];
  if (state.roles.length) fields.push(field('Roles', state.roles.map((r) => `${r.label}: ${userMention(r.userId)}`).join('\n')));
  const blocks: KnownBlock[] = [
    section(`${severityEmoji(incident.severity)} *${incidentRef(incident)}: ${title}*`),
    { type: 'section', fields: fields.slice(0, 10) },
  ];
  if (isSensitiveCategory(catalog, incident.category))
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: SENSITIVE_CONTENT_NOTE }] });
  // A summary may escape to several times Slack's 3,000 characters a section: it spans as many as it needs.
  if (state.clocks?.list.length)
    blocks.push(
      ...cardClockBlocks(state.clocks.list, incident, state.clocks.now, open, catalog.deadlines ?? [], state.clocks.orderZone ?? null),
    );
  for (const c of state.crisis ?? [])
    blocks.push(
      contextOf(`:rotating_light: Under the ${escapeMrkdwn(c.name)} since ${slackDate(c.activatedAt, '{date_short_pretty} at {time}')}`),
    );
  if (state.orders?.list.length) blocks.push(...orderBlocks(state.orders.list));
  if (state.runbook?.total) {
    const { done, total } = state.runbook;
    blocks.push(contextOf(`${done === total ? ':white_check_mark:' : ':clipboard:'} Runbook ${done}/${total}`));
  }
  const followUpLine = state.followUps ? cardFollowUpLine(state.followUps.list, state.followUps.now) : undefined;
  if (followUpLine) blocks.push(followUpLine);
  if (state.holds?.length) blocks.push(contextOf(holdLine(state.holds)));
  if (state.links?.length) blocks.push(contextOf(fitText(`:link: ${state.links.join(' · ')}`, SLACK_LIMITS.contextText)));
  if (incident.summary) blocks.push(...sectionsOf(`*Summary*\n${escapeMrkdwn(incident.summary)}`));
  if (open) {
    const button = (action_id: string, text: string, style?: 'primary' | 'danger') => ({
      type: 'button' as const,
      action_id,
      value: incident.id,
      text: { type: 'plain_text' as const, text },
      ...(style ? { style } : {}),
    });
    blocks.push({
      type: 'actions',
      block_id: 'card',
      elements: [
        ...(state.paging.status === 'active' ? [button(INCIDENT_ACK_ACTION, 'Acknowledge', 'primary')] : []),
        button(CARD_ACTIONS.severity, 'Change severity'),
        button(CARD_ACTIONS.update, 'Post update'),
        button(CARD_ACTIONS.role, 'Assign role'),
        button(CARD_ACTIONS.resolve, 'Resolve'),
        button(CARD_FOLLOW_UP_ACTION, 'Add follow-up'),
        ...(state.orders?.recordable ? [button(CARD_ORDER_ACTION, 'Record order')] : []),
      ],
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${incident.isPrivate ? ':lock: Private incident: do not share outside this channel. ' : ''}Type \`/incident help\` here for what you can do.`,
      },
    ],
  });
  return { text: `${incidentRef(incident)}: ${title} (${escapeMrkdwn(sev)}, ${status})`, blocks };
}

const ORDER_TYPE_SHORT: Readonly<Record<OrderType, string>> = { act: 'Order to act', information: 'Order to provide information' };

/** One line per order (type, authority, Member State, received, effect given), each with its "Edit". */
function orderBlocks(list: readonly CardOrder[]): KnownBlock[] {
  const shown = list.slice(-CARD_ORDERS_SHOWN);
  const blocks: KnownBlock[] = shown.map((o) => {
    const where = o.memberState ?? (o.otherJurisdiction ? escapeMrkdwn(o.otherJurisdiction) : 'outside the EU');
    const effect = o.effectGiven
      ? `effect given: ${EFFECT_GIVEN[o.effectGiven].toLowerCase()}${o.effectGivenAt ? ` ${slackDate(o.effectGivenAt, '{date_short_pretty} at {time}')}` : ''}`
      : 'effect not yet given';
    const text = `:scroll: *${ORDER_TYPE_SHORT[o.orderType]}* from ${escapeMrkdwn(o.issuingAuthority)} (${where}), received ${slackDate(o.receivedAt, '{date_short_pretty} at {time}')}; ${effect}`;
    return {
      type: 'section',
      text: { type: 'mrkdwn', text: fitText(text, SLACK_LIMITS.sectionText) },
      accessory: { type: 'button', action_id: CARD_ORDER_EDIT_ACTION, value: o.id, text: { type: 'plain_text', text: 'Edit order' } },
    };
  });
  if (list.length > shown.length) blocks.push(contextOf(`…and ${list.length - shown.length} earlier orders (see the timeline).`));
  return blocks;
}

function pagingText(paging: CardPaging): string {
  switch (paging.status) {
    case 'active':
      return ':pager: paging, not yet acknowledged';
    case 'acknowledged':
      return `:white_check_mark: acknowledged by ${paging.acknowledgedBy ? userMention(paging.acknowledgedBy) : 'someone'}${paging.acknowledgedAt ? ` ${slackDate(paging.acknowledgedAt)}` : ''}`;
    case 'exhausted':
      return ':rotating_light: nobody acknowledged; leads alerted';
    case 'cancelled':
      return 'stopped';
    case 'none':
      return 'nobody paged (severity and category page no one)';
  }
}

/** Slack allows 250 characters in a channel topic. */
const TOPIC_MAX = 250;

/** Channel topic: severity, status, commander; cut (never inside the mention) to Slack's limit. */
export function incidentTopic(incident: Incident, catalog: Catalog): string {
  const commander = incident.commanderId ? userMention(incident.commanderId) : 'unassigned';
  const status = STATUS_LABEL[incident.status] ?? incident.status;
  return fitText(`${severityLabel(catalog, incident.severity)} | ${status} | Commander: ${commander}`, TOPIC_MAX);
}

/** The feed channel's line for a public declaration. Never called for private incidents. */
export function declarationAnnouncement(incident: Incident, catalog: Catalog): RenderedMessage {
  const title = escapeMrkdwn(incident.title);
  const sev = escapeMrkdwn(severityLabel(catalog, incident.severity));
  const where = incident.channelId ? ` in ${channelLink(incident.channelId)}` : '';
  const text = `${severityEmoji(incident.severity)} *${incidentRef(incident)} declared${where}*: ${title}`;
  return {
    text: `${incidentRef(incident)} declared (${sev}): ${title}`,
    blocks: [
      section(text),
      contextOf(
        `${sev} | ${escapeMrkdwn(categoryName(catalog, incident.category))} | declared by ${userMention(incident.declaredBy)} ${slackDate(incident.declaredAt)}`,
      ),
    ],
  };
}

/** What the declarer sees once the channel is ready. */
export function channelReadyNotice(incident: Incident): RenderedMessage {
  const text = `:white_check_mark: ${incidentRef(incident)} is open: ${incident.channelId ? channelLink(incident.channelId) : '(channel pending)'}. You are its commander until you hand over.`;
  return { text, blocks: [section(text)] };
}

/** What the declarer sees when Slack is failing: the incident is safe and the work goes on. */
export function channelDelayedNotice(incident: Incident): RenderedMessage {
  const text = `:hourglass_flowing_sand: ${incidentRef(incident)} is recorded, but Slack is not letting me create its channel yet. I will keep trying and tell you when it is ready. Nothing you typed is lost.`;
  return { text, blocks: [section(text)] };
}

/** What the declarer sees when Slack refused the card: the channel works, only the pinned card is missing. */
export function cardRefusedNotice(incident: Incident): RenderedMessage {
  const where = incident.channelId ? channelLink(incident.channelId) : 'its channel';
  const text = `:warning: Slack refused the card of ${incidentRef(incident)} in ${where} (too large, most likely), so nothing is pinned there. The channel is set up and everything else works: type \`/incident help\` in it for what you can do.`;
  return { text, blocks: [section(text)] };
}

/** The card's hold line: until the latest end (or until released); the law for duty holds, never a person's reason (it may be privileged). */
function holdLine(holds: readonly LegalHold[]): string {
  const open = holds.some((h) => h.until === null);
  const last = holds.reduce<Date | null>((latest, h) => (h.until && (!latest || h.until > latest) ? h.until : latest), null);
  const until = open || !last ? 'until released' : `until ${last.toISOString().slice(0, 10)}`;
  const laws = [...new Set(holds.filter((h) => h.kind === 'duty').map((h) => escapeMrkdwn(h.reason)))];
  return `:lock: *Legal hold* ${until}: text kept, channel not archived${laws.length ? ` (${laws.join('; ')})` : ''}.`;
}
