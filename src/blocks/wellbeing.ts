/**
 * Wellbeing messages: the private nudge after long exposure to sensitive incidents, the offer at
 * the end of a hub's day, what the DM says once answered, and the briefing the new commander
 * gets in the channel. The DMs go to the one person they are about, and say nobody else is told;
 * the briefing says nothing of why the commander changed.
 */
import type { KnownBlock } from '@slack/types';
import { cityOfZone } from '../domain/exposure.js';
import { formatSpan } from '../domain/duration.js';
import type { Incident } from '../domain/incident.js';
import { escapeMrkdwn, slackDate, userMention } from '../slack-api/mrkdwn.js';
import { incidentRef } from './incident-messages.js';
import { contextOf, plainText, section } from './kit.js';

export const HAND_OVER_ACTION = 'wellbeing_hand_over';
export const STAY_ACTION = 'wellbeing_stay';

/** What a Hand over button carries: ids only. `key` names the offer (one hand-over per offer). */
export interface HandOverOffer {
  readonly key: string;
  readonly incidentId: string;
  /** The person the offer was made to: only they may accept it. */
  readonly forUser: string;
  /** Who takes over as commander. */
  readonly toUser: string;
}

/** The button value: short keys, as Slack caps a value at 2000 characters. */
export function offerValue(offer: HandOverOffer): string {
  return JSON.stringify({ k: offer.key, i: offer.incidentId, f: offer.forUser, t: offer.toUser });
}

/** The hub that would take over, as the DM names it. */
export interface TakeOverHub {
  readonly userId: string;
  /** How the button names them (`@maya`): a button's text cannot hold a mention. */
  readonly handle: string;
  readonly layerName: string;
  readonly timeZone: string;
}

type IncidentRef = Pick<Incident, 'number' | 'title'>;

export interface RenderedDm {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

const NOBODY_ELSE = 'Only you get this message; nobody else is told.';

function hubName(hub: Pick<TakeOverHub, 'layerName' | 'timeZone'>): string {
  return `${escapeMrkdwn(hub.layerName)} (${escapeMrkdwn(cityOfZone(hub.timeZone))})`;
}

/**
 * A wellbeing DM names only the incident's number: every incident it is about is sensitive, and a
 * DM's text is what a phone's lock screen shows. The title is one click away in the channel.
 */
function incidentName(incident: IncidentRef): string {
  return `*${incidentRef(incident)}*`;
}

function offerButtons(offer: HandOverOffer, hub: TakeOverHub): KnownBlock {
  const value = offerValue(offer);
  return {
    type: 'actions',
    block_id: 'wellbeing_offer',
    elements: [
      { type: 'button', action_id: HAND_OVER_ACTION, style: 'primary', text: plainText(`Hand over to ${hub.handle}`), value },
      { type: 'button', action_id: STAY_ACTION, text: plainText("I'm fine for now"), value },
    ],
  };
}

/**
 * The nudge after `minutes` on sensitive incidents today. With an incident the person commands
 * and someone awake in another hub: a Hand over button; without anyone: it says so, no button.
 */
export function exposureNudgeDm(input: {
  minutes: number;
  incident: IncidentRef | null;
  hub: TakeOverHub | null;
  offer: HandOverOffer | null;
}): RenderedDm {
  const spent = formatSpan(input.minutes * 60_000);
  const opening = `You have spent about ${spent} on sensitive incidents today. That is a lot of difficult material to carry, and it is fine to step back.`;
  const lines = [opening];
  const { incident, hub, offer } = input;
  if (incident && hub && offer) {
    lines.push(
      `If you would like a break, you can hand ${incidentName(incident)} over to ${userMention(hub.userId)}, on call in ${hubName(hub)}. They become commander and get a briefing in the channel (summary, last update, open runbook steps, running clocks).`,
    );
  } else if (incident) {
    lines.push(
      'Nobody is on call in another hub right now, so there is nobody to hand over to from here. If you need a break, an admin or your lead can find cover.',
    );
  } else {
    lines.push('If you need a break, tell the commander of the incident you are helping with.');
  }
  const blocks: KnownBlock[] = [section(lines.join('\n\n')), contextOf(NOBODY_ELSE)];
  if (incident && hub && offer) blocks.push(offerButtons(offer, hub));
  return { text: `${opening} ${NOBODY_ELSE}`, blocks };
}

/** 30 minutes before a hub's coverage ends: its commander may hand over to the next hub. */
export function coverageEndDm(input: {
  endingHub: { layerName: string; timeZone: string };
  minutesLeft: number;
  incident: IncidentRef;
  hub: TakeOverHub | null;
  offer: HandOverOffer | null;
}): RenderedDm {
  const city = escapeMrkdwn(cityOfZone(input.endingHub.timeZone));
  const { hub, offer, incident } = input;
  const head = hub
    ? `${city}'s day ends in ${input.minutesLeft} min; ${escapeMrkdwn(cityOfZone(hub.timeZone))}'s on-call is ${userMention(hub.userId)}.`
    : `${city}'s day ends in ${input.minutesLeft} min, and nobody is on call in another hub yet.`;
  const body =
    hub && offer
      ? `You are commander of ${incidentName(incident)}. Hand it over so ${userMention(hub.userId)} (${hubName(hub)}) takes over with a briefing in the channel?`
      : `You are commander of ${incidentName(incident)}. An admin or your lead can find cover.`;
  const blocks: KnownBlock[] = [section(`${head}\n\n${body}`), contextOf(NOBODY_ELSE)];
  if (hub && offer) blocks.push(offerButtons(offer, hub));
  return { text: `${head} ${NOBODY_ELSE}`, blocks };
}

/** The DM once handed over. */
export function handedOverDm(incident: IncidentRef, toUser: string): RenderedDm {
  const text = `Done: ${userMention(toUser)} is now commander of ${incidentName(incident)} and has a briefing in the channel. Thank you for carrying it this far; take the break you need.`;
  return { text, blocks: [section(text)] };
}

/** The DM once declined. */
export function stayingDm(): RenderedDm {
  const text =
    'OK, you stay on it. If you change your mind, `/incident role @person commander` in the channel hands it over at any time. Nobody else was told.';
  return { text, blocks: [section(text)] };
}

/** A running response clock, as the briefing lists it. */
export interface BriefingClock {
  readonly name: string;
  readonly dueAt: Date;
  /** Past due and not answered yet. */
  readonly missed: boolean;
}

/** The new commander's briefing in the incident channel. */
export function handOverBriefing(input: {
  incident: Pick<Incident, 'number' | 'title' | 'summary'>;
  fromUser: string;
  toUser: string;
  lastUpdate: { text: string; at: Date } | null;
  openSteps: readonly string[];
  clocks: readonly BriefingClock[];
}): RenderedDm {
  const { incident } = input;
  const head = `:handshake: ${userMention(input.toUser)} is now commander of *${incidentRef(incident)}*, taking over from ${userMention(input.fromUser)}. Your briefing:`;
  const summary = incident.summary.trim() ? escapeMrkdwn(incident.summary) : '_no summary given_';
  const update = input.lastUpdate
    ? `${escapeMrkdwn(input.lastUpdate.text)} (${slackDate(input.lastUpdate.at)})`
    : '_no status update posted yet_';
  const steps = input.openSteps.length ? input.openSteps.map((s) => `• ${escapeMrkdwn(s)}`).join('\n') : '_none open_';
  const clocks = input.clocks.length
    ? input.clocks
        .map((c) => `• ${escapeMrkdwn(c.name)}: ${c.missed ? '*missed*, was due' : 'respond by'} ${slackDate(c.dueAt)}`)
        .join('\n')
    : '_none running_';
  const blocks: KnownBlock[] = [
    section(head),
    section(`*Summary*\n${summary}`),
    section(`*Last update*\n${update}`),
    section(`*Open runbook steps*\n${steps}`),
    section(`*Running clocks*\n${clocks}`),
  ];
  return { text: `${userMention(input.toUser)} is now commander of ${incidentRef(incident)}: briefing in the channel.`, blocks };
}
