/** The App Home tab: open incidents the viewer may see, who is on call in each hub, the viewer's open pages. */
import { followUpListMessage } from './follow-ups.js';
import type { FollowUp, FollowUpTeam } from '../domain/follow-ups.js';
import type { HomeView, KnownBlock } from '@slack/types';
import type { IncidentClock } from '../domain/clocks.js';
import type { Incident } from '../domain/incident.js';
import { nextDeadlineText } from './clock-messages.js';
import type { ScheduleStatus } from '../domain/schedule-status.js';
import { channelLink, escapeMrkdwn, slackDate } from '../slack-api/mrkdwn.js';
import { severityEmoji, severityLabel, STATUS_LABEL, type Catalog } from './catalog.js';
import { incidentRef } from './incident-messages.js';
import { capBlocks, contextOf, section } from './kit.js';
import { SLACK_LIMITS } from './slack-limits.js';
import { formatSpan } from '../domain/duration.js';
import { hubsLine, NO_SCHEDULES_TEXT, whoLine } from './oncall-who.js';
import { dmSubject, PAGE_ACK_ACTION } from './page-messages.js';
import type { NotificationRule } from '../domain/notification-rules.js';
import { type MyContact, pagingHomeBlock } from './paging-preferences.js';

/** Slack allows 100 blocks in a Home view; these caps keep the three parts well inside it. */
export const HOME_MAX_INCIDENTS = 20;
const HOME_MAX_SCHEDULES = 8;
const HOME_MAX_PAGES = 10;

/** A page waiting for the viewer; `incident` is null when the viewer may no longer see it (a private incident they left). */
export interface HomePage {
  pageId: string;
  pagedAt: Date;
  incident: Pick<Incident, 'number' | 'title' | 'category' | 'severity' | 'channelId'> | null;
  incidentNumber: number;
}

export interface AppHomeInput {
  /** Already filtered to what the viewer may see. */
  incidents: readonly Incident[];
  schedules: readonly ScheduleStatus[];
  pages: readonly HomePage[];
  now: Date;
  catalog: Catalog;
  /** Each incident's next deadline by incident id (its soonest running clock, or an overdue one). */
  nextDeadlines?: ReadonlyMap<string, IncidentClock>;
  /** "Your follow-ups": open ones the viewer owns, soonest due first, with the teams' names. */
  followUps?: { rows: ReadonlyArray<{ followUp: FollowUp; incident: { number: number; title: string } }>; teams: readonly FollowUpTeam[] };
  /** "Where pages reach me": the viewer's contacts and the rules their pages follow (own ones, or the team default). */
  paging?: { contacts: readonly MyContact[]; rules: readonly NotificationRule[]; own: boolean };
}

const header = (text: string): KnownBlock => ({ type: 'header', text: { type: 'plain_text', text, emoji: true } });

function incidentBlocks(incident: Incident, now: Date, catalog: Catalog, next: IncidentClock | undefined): KnownBlock[] {
  const where = incident.channelId ? channelLink(incident.channelId) : '_channel being created_';
  const lock = incident.isPrivate ? ':lock: ' : '';
  const status = STATUS_LABEL[incident.status] ?? incident.status;
  const age = formatSpan(Math.max(0, now.getTime() - incident.declaredAt.getTime()));
  return [
    section(`${severityEmoji(incident.severity)} ${lock}*${incidentRef(incident)}: ${dmSubject(incident, catalog)}*  ${where}`),
    contextOf(
      `${escapeMrkdwn(severityLabel(catalog, incident.severity))} | ${status} | open for ${age}, declared ${slackDate(incident.declaredAt)}${next ? `\n${nextDeadlineText(next, now)}` : ''}`,
    ),
  ];
}

function incidentsPart(input: AppHomeInput): KnownBlock[] {
  const blocks: KnownBlock[] = [header(':rotating_light: Open incidents')];
  if (input.incidents.length === 0) return [...blocks, section('No open incidents. :sunny:')];
  for (const incident of input.incidents.slice(0, HOME_MAX_INCIDENTS))
    blocks.push(...incidentBlocks(incident, input.now, input.catalog, input.nextDeadlines?.get(incident.id)));
  const more = input.incidents.length - HOME_MAX_INCIDENTS;
  if (more > 0) blocks.push(contextOf(`and ${more} more: type \`/incident list\` to see them all.`));
  return blocks;
}

function onCallPart(input: AppHomeInput): KnownBlock[] {
  const blocks: KnownBlock[] = [header(':telephone_receiver: On call now')];
  if (input.schedules.length === 0) return [...blocks, section(NO_SCHEDULES_TEXT)];
  for (const status of input.schedules.slice(0, HOME_MAX_SCHEDULES)) {
    blocks.push(section(`*${escapeMrkdwn(status.scheduleName)}*\n${whoLine(status, input.now)}`));
    if (status.hubs.length > 0) blocks.push(contextOf(hubsLine(status, input.now)));
  }
  return blocks;
}

function pageBlock(page: HomePage, catalog: Catalog): KnownBlock {
  const what = page.incident
    ? `${severityEmoji(page.incident.severity)} *INC-${page.incidentNumber}* (${escapeMrkdwn(severityLabel(catalog, page.incident.severity))}): ${dmSubject(page.incident, catalog)}${page.incident.channelId ? `  ${channelLink(page.incident.channelId)}` : ''}`
    : `*INC-${page.incidentNumber}* (a private incident)`;
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: `${what}\npaged ${slackDate(page.pagedAt)}` },
    accessory: {
      type: 'button',
      action_id: PAGE_ACK_ACTION,
      value: page.pageId,
      style: 'primary',
      text: { type: 'plain_text', text: 'Acknowledge' },
    },
  };
}

function pagesPart(input: AppHomeInput): KnownBlock[] {
  const blocks: KnownBlock[] = [header(':pager: Your open pages')];
  if (input.pages.length === 0) return [...blocks, section('Nothing is waiting for you.')];
  for (const page of input.pages.slice(0, HOME_MAX_PAGES)) blocks.push(pageBlock(page, input.catalog));
  const more = input.pages.length - HOME_MAX_PAGES;
  if (more > 0) blocks.push(contextOf(`and ${more} more pages: they are in your DMs with Meridian.`));
  return blocks;
}

/** The whole Home tab (at most about 75 blocks of Slack's 100); each reader sees dates in their own zone, each hub's clock in its own. */
export function appHomeView(input: AppHomeInput): HomeView {
  const divider: KnownBlock = { type: 'divider' };
  const mine = input.followUps?.rows.length
    ? [
        divider,
        header('Your follow-ups'),
        ...followUpListMessage('Open, soonest due first', input.followUps.rows, input.followUps.teams, input.now).blocks,
      ]
    : [];
  const reach = input.paging
    ? [divider, header(':iphone: Where pages reach me'), pagingHomeBlock(input.paging.contacts, input.paging.rules, input.paging.own)]
    : [];
  const main = [...incidentsPart(input), ...mine, divider, ...onCallPart(input), ...reach];
  // A page waiting to be acknowledged is the one thing to act on: it goes first when there is one.
  const blocks = input.pages.length > 0 ? [...pagesPart(input), divider, ...main] : [...main, divider, ...pagesPart(input)];
  // The caps above keep it near 75 blocks; this keeps Slack's 100 even if they drift.
  const fitted = capBlocks(blocks, SLACK_LIMITS.viewBlocks - 1, (n) =>
    contextOf(`… ${n} more blocks not shown: \`/incident list\` and \`/oncall\` have it all.`),
  );
  return { type: 'home', blocks: [...fitted, contextOf(`Updated ${slackDate(input.now)}. Reopen this tab to refresh.`)] };
}
