import type { KnownBlock } from '@slack/types';
import { formatSpan } from '../domain/duration.js';
import type { Incident } from '../domain/incident.js';
import { linkLabel, marketsIn, type IncidentLinkKind } from '../domain/similar-incidents.js';
import { escapeMrkdwn, slackDate } from '../slack-api/mrkdwn.js';
import { categoryName, STATUS_LABEL, type Catalog } from './catalog.js';
import { incidentRef, type RenderedMessage } from './incident-messages.js';
import { contextOf, fitText, section } from './kit.js';
import { SLACK_LIMITS } from './slack-limits.js';

/** An earlier incident shown as seen before, with what the record says of it. */
export interface SeenBefore {
  incident: Incident;
  reviewPostedAt: Date | null;
}

/** One line: number and title, market, when, how long it took, its review and follow-ups. */
export function seenBeforeLine(match: SeenBefore, catalog: Catalog): string {
  const { incident } = match;
  const markets = marketsIn(incident.title, incident.summary);
  const end = incident.resolvedAt ?? incident.closedAt;
  const took = end
    ? `resolved in ${formatSpan(end.getTime() - incident.declaredAt.getTime())}`
    : `still ${(STATUS_LABEL[incident.status] ?? incident.status).toLowerCase()}`;
  const review = match.reviewPostedAt ? `review posted ${slackDate(match.reviewPostedAt, '{date_short}')}` : 'no review yet';
  const followUps = incident.followUps.length;
  const parts = [
    markets.length ? `:round_pushpin: ${markets.join(', ')}` : ':round_pushpin: market not named',
    `declared ${slackDate(incident.declaredAt, '{date_short}')}`,
    took,
    review,
    followUps ? `${followUps} follow-up${followUps === 1 ? '' : 's'}` : 'no follow-ups',
  ];
  return fitText(
    `*${incidentRef(incident)}* ${escapeMrkdwn(incident.title)} (${escapeMrkdwn(categoryName(catalog, incident.category))}${incident.isPrivate ? ', private' : ''})\n${parts.join(' · ')}`,
    SLACK_LIMITS.sectionText,
  );
}

const LINK_HINT = 'Same thing? `/incident link INC-<n> related|duplicate|caused-by` records it on the card and in the review.';

/** Posted in a new incident's channel (or shown to one person): earlier incidents alike. */
export function seenBeforeMessage(matches: readonly SeenBefore[], catalog: Catalog, opts: { privateNote?: boolean } = {}): RenderedMessage {
  const head = opts.privateNote
    ? ':lock: *Seen before, in private incidents you are a member of* (only you see this)'
    : ':mag: *Seen before*: earlier incidents like this one';
  const blocks: KnownBlock[] = [section(head), ...matches.map((m) => section(seenBeforeLine(m, catalog))), contextOf(LINK_HINT)];
  return { text: `Seen before: ${matches.map((m) => incidentRef(m.incident)).join(', ')}`, blocks };
}

/** The answer to `/incident similar` when nothing alike is found. */
export const NOTHING_SIMILAR_TEXT = 'No earlier incident you can see looks like this one.';

/** A link as the card and the review list it. */
export function linkText(link: { other: Pick<Incident, 'number' | 'title'>; kind: IncidentLinkKind; fromThisEnd: boolean }): string {
  return `${linkLabel(link.kind, link.fromThisEnd)} ${incidentRef(link.other)}: ${escapeMrkdwn(link.other.title)}`;
}
