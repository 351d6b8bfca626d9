/**
 * How response clocks read in Slack: on the card, in reminders and misses, in lists. Every
 * deadline is a Slack date token, so each reader sees it in their own time zone.
 */
import type { KnownBlock } from '@slack/types';
import { answerOutcome, type DeadlineKind, isStatutoryClock, timeLeftMs, type IncidentClock } from '../domain/clocks.js';
import { formatDuration, formatSpan } from '../domain/duration.js';
import { formatInZone, utcText } from '../domain/zoned-format.js';
import { zoneText } from './oncall-format.js';
import type { Incident } from '../domain/incident.js';
import { channelLink, escapeMrkdwn, slackDate, userMention } from '../slack-api/mrkdwn.js';
import { contextOf, fitText, section } from './kit.js';
import { SLACK_LIMITS } from './slack-limits.js';

/** A message: notification text and blocks (the shape of `incident-messages.ts`' RenderedMessage, without the import cycle). */
export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}

function incidentRef(incident: Pick<Incident, 'number'>): string {
  return `INC-${incident.number}`;
}

/** The card's "Mark responded" button; its value is the clock id. */
export const CLOCK_RESPONDED_ACTION = 'clock_responded';
/** "I have it" on a missed deadline's DM; its value is the clock id. */
export const CLOCK_MISS_ACK_ACTION = 'clock_miss_ack';

/** At most this many clocks on the card; the rest are one line away with `/incident deadlines`. */
const CARD_CLOCKS_MAX = 8;

function by(at: Date): string {
  return slackDate(at, '{date_short_pretty} at {time}');
}

/** "2026-12-07 23:15 UTC": the instant as the reply to an authority states it, the same for every reader. */
export function utcInstant(at: Date): string {
  return utcText(at, { seconds: true });
}

function left(clock: IncidentClock, now: Date): string {
  const ms = timeLeftMs(clock, now);
  if (clock.state === 'paused') return `paused with ${formatDuration(Math.max(0, ms))} left`;
  return ms >= 0 ? `${formatDuration(ms)} left` : `overdue by ${formatDuration(-ms)}`;
}

function ownerOf(clock: IncidentClock, incident: Pick<Incident, 'commanderId'>): string | null {
  return clock.ownerId ?? incident.commanderId;
}

/** The name `/incident deadline extend|pause|resume` takes for the clock: "`tco`". */
function commandName(clock: Pick<IncidentClock, 'label'>): string {
  return `\`${clock.label.replace(/`/g, "'")}\``;
}

/** "EU TCO removal order · Regulation (EU) 2021/784, Art. 3(3) · `tco` in commands" */
function nameAndSource(clock: IncidentClock): string {
  const source = clock.source ? ` · _${escapeMrkdwn(clock.source)}_` : '';
  return `${escapeMrkdwn(clock.name)}${source} · ${commandName(clock)} in commands`;
}

/**
 * A paused statutory clock's warning on the card: Meridian's countdown stands still, the
 * authority's does not, so the card says by when the law still expects the answer.
 */
function statutoryPauseNote(clock: IncidentClock, orderZone: string | null): string {
  return `\n:warning: *Statutory deadline: the law does not pause.* The authority still expects the response by ${by(clock.dueAt)} (${utcInstant(clock.dueAt)}${inOrderZone(clock.dueAt, orderZone)}).`;
}

/** "2026-12-08 00:54 Europe/Berlin, the order's zone": the due instant as the issuing authority's clock reads it. */
function inOrderZone(at: Date, orderZone: string | null): string {
  return orderZone ? ` · ${formatInZone(at, orderZone)} ${zoneText(orderZone)}, the order's zone` : '';
}

/**
 * One clock as the card shows it: running, paused (a statutory one marked as such), met or missed.
 * `orderZone`: the time zone of the incident's order (its Member State), when one is recorded.
 */
export function clockLine(
  clock: IncidentClock,
  incident: Pick<Incident, 'commanderId'>,
  now: Date,
  kinds: readonly Pick<DeadlineKind, 'id' | 'effectiveFrom' | 'internalTarget'>[] = [],
  orderZone: string | null = null,
): string {
  const owner = ownerOf(clock, incident);
  const ownerText = owner ? ` · owner ${userMention(owner)}` : '';
  if (clock.state === 'running' || clock.state === 'paused') {
    const icon = clock.state === 'paused' ? ':double_vertical_bar:' : ':alarm_clock:';
    const task = clock.task ? `\n${escapeMrkdwn(clock.task)}` : '';
    const paused = clock.state === 'paused' && clock.pauseReason ? ` (${escapeMrkdwn(clock.pauseReason)})` : '';
    // Paused, the time left stands still and stays true; running, only the due instant does (a "left" figure would freeze on the card).
    const when =
      clock.state === 'paused' ? `${left(clock, now)}${paused}` : `${utcInstant(clock.dueAt)}${inOrderZone(clock.dueAt, orderZone)}`;
    const statutory = clock.state === 'paused' && isStatutoryClock(clock, kinds) ? statutoryPauseNote(clock, orderZone) : '';
    // A clock from receipt says so: the deadline runs from when the order arrived, not from the declaration.
    const receipt = clock.startKind === 'received' ? ` · runs from receipt ${by(clock.startedAt)} (${utcInstant(clock.startedAt)})` : '';
    return `${icon} *Respond by ${by(clock.dueAt)}* (${when})${statutory}\n${nameAndSource(clock)}${receipt}${ownerText}${task}`;
  }
  return `${answerLine(clock)}\n${nameAndSource(clock)}`;
}

/** "Responded <date> by @x: met" or "missed by 12 min"; "Deadline missed" while unanswered. */
function answerLine(clock: IncidentClock): string {
  if (!clock.respondedAt) return `:rotating_light: *Deadline missed* ${by(clock.dueAt)}; no response recorded yet`;
  const outcome = answerOutcome(clock, clock.respondedAt);
  const who = clock.respondedBy ? ` by ${userMention(clock.respondedBy)}` : '';
  const result = outcome.met ? 'met' : `missed by ${formatDuration(outcome.lateMs)}`;
  const note = clock.responseNote ? `: ${escapeMrkdwn(clock.responseNote)}` : '';
  // A link checked as http(s) without <, > or | when given: Slack shows it as a link, labelled.
  const evidence = clock.responseEvidence ? ` · <${clock.responseEvidence}|evidence>` : '';
  return `${outcome.met ? ':white_check_mark:' : ':warning:'} Responded ${by(clock.respondedAt)}${who} (${result})${note}${evidence}`;
}

/** The card's clock blocks: a section per clock, running ones with a "Mark responded" button. */
export function cardClockBlocks(
  clocks: readonly IncidentClock[],
  incident: Pick<Incident, 'commanderId'>,
  now: Date,
  open: boolean,
  kinds: readonly Pick<DeadlineKind, 'id' | 'effectiveFrom' | 'internalTarget'>[] = [],
  orderZone: string | null = null,
): KnownBlock[] {
  const shown = clocks.slice(0, CARD_CLOCKS_MAX);
  const blocks: KnownBlock[] = shown.map((clock) => {
    const text = fitText(clockLine(clock, incident, now, kinds, orderZone), SLACK_LIMITS.sectionText);
    const running = clock.state === 'running' || clock.state === 'paused' || (clock.state === 'missed' && !clock.respondedAt);
    if (!open || !running) return section(text);
    return {
      type: 'section',
      text: { type: 'mrkdwn', text },
      accessory: {
        type: 'button',
        action_id: CLOCK_RESPONDED_ACTION,
        value: clock.id,
        text: { type: 'plain_text', text: 'Mark responded' },
      },
    };
  });
  if (clocks.length > shown.length) blocks.push(contextOf(`${clocks.length - shown.length} more: \`/incident deadlines\``));
  return blocks;
}

/** "in 40 min" or "overdue by 12 min"; seconds only under a minute (clocks of seconds in tests). */
function dueIn(ms: number): string {
  const span = (n: number) => (n < 60_000 ? formatDuration(n) : formatSpan(n));
  return ms >= 0 ? `in ${span(ms)}` : `overdue by ${span(-ms)}`;
}

/** An incident's next deadline in a list, App Home or a handoff: "Respond by <date> (in 40 min) · EU TCO removal order". */
export function nextDeadlineText(clock: IncidentClock, now: Date): string {
  if (clock.state === 'paused') return `:double_vertical_bar: ${left(clock, now)} · ${escapeMrkdwn(clock.name)}`;
  const icon = timeLeftMs(clock, now) < 0 ? ':rotating_light:' : ':alarm_clock:';
  return `${icon} Respond by ${by(clock.dueAt)} (${dueIn(timeLeftMs(clock, now))}) · ${escapeMrkdwn(clock.name)}`;
}

/** A reminder in the incident channel, mentioning the owner. */
export function clockReminderMessage(clock: IncidentClock, incident: Incident, now: Date): RenderedMessage {
  const owner = ownerOf(clock, incident);
  const who = owner ? `${userMention(owner)} ` : '';
  const text = `:alarm_clock: ${who}${formatDuration(Math.max(0, timeLeftMs(clock, now)))} left: *${escapeMrkdwn(clock.name)}* is due ${by(clock.dueAt)}.`;
  const task = clock.task ? ` ${escapeMrkdwn(clock.task)}` : '';
  return { text: fitText(text, 3000), blocks: [section(text), contextOf(fitText(`${escapeMrkdwn(clock.source)}${task}`, 2000) || ' ')] };
}

/** "Deadline missed" in the incident channel, naming the owner and those now told. */
export function clockMissedMessage(clock: IncidentClock, incident: Incident, told: readonly string[]): RenderedMessage {
  const owner = ownerOf(clock, incident);
  const head = `:rotating_light: *Deadline missed*: ${escapeMrkdwn(clock.name)} was due ${by(clock.dueAt)}.`;
  const tail = [owner ? `Owner: ${userMention(owner)}.` : '', told.length ? `Escalated to ${told.map(userMention).join(' ')}.` : '']
    .filter(Boolean)
    .join(' ');
  const text = fitText(`${head} ${tail} Record the response with \`/incident responded <note>\`.`, SLACK_LIMITS.sectionText);
  return { text: `Deadline missed: ${escapeMrkdwn(clock.name)} (${incidentRef(incident)})`, blocks: [section(text)] };
}

/** The DM someone in `escalate_to` gets, like a page: where, what, and a button to say they have it. */
export function clockMissDm(clock: IncidentClock, incident: Incident): RenderedMessage {
  const where = incident.channelId ? channelLink(incident.channelId) : incidentRef(incident);
  const title = incident.isPrivate ? 'a private incident' : escapeMrkdwn(incident.title);
  const text = fitText(
    `:rotating_light: *${incidentRef(incident)} missed a deadline*: ${escapeMrkdwn(clock.name)} was due ${by(clock.dueAt)}. You are its escalation contact. ${where}: ${title}`,
    SLACK_LIMITS.sectionText,
  );
  return {
    text: `Deadline missed: ${incidentRef(incident)} ${escapeMrkdwn(clock.name)}`,
    blocks: [
      section(text),
      contextOf(fitText(escapeMrkdwn(clock.source), 2000) || ' '),
      {
        type: 'actions',
        block_id: 'clock_miss',
        elements: [
          {
            type: 'button',
            action_id: CLOCK_MISS_ACK_ACTION,
            value: clock.id,
            style: 'primary',
            text: { type: 'plain_text', text: 'Acknowledge' },
          },
        ],
      },
    ],
  };
}

/** The missed deadline's DM once someone acknowledged it: who and when, without the button. */
export function clockMissAcknowledgedDm(clock: IncidentClock, incident: Incident, by: string, at: Date): RenderedMessage {
  const missed = clockMissDm(clock, incident);
  const done = `:white_check_mark: Acknowledged by ${userMention(by)} ${slackDate(at, '{date_short_pretty} at {time}')}.`;
  return {
    text: `Deadline missed: ${incidentRef(incident)} ${escapeMrkdwn(clock.name)} (acknowledged)`,
    blocks: [...missed.blocks.filter((b) => b.type !== 'actions'), section(done)],
  };
}

/** The feed's line: a public incident by name; a private one only by number. */
export function clockMissedFeedMessage(clock: IncidentClock, incident: Incident): RenderedMessage {
  const text = incident.isPrivate
    ? `:rotating_light: A private incident, ${incidentRef(incident)}, missed a response deadline.`
    : `:rotating_light: *${incidentRef(incident)} missed a deadline*: ${escapeMrkdwn(clock.name)} was due ${by(clock.dueAt)}. ${incident.channelId ? channelLink(incident.channelId) : ''} ${escapeMrkdwn(incident.title)}`;
  return { text: fitText(text, SLACK_LIMITS.sectionText), blocks: [section(fitText(text, SLACK_LIMITS.sectionText))] };
}

/** What the channel hears when someone records the response. */
export function clockAnsweredLine(clock: IncidentClock): string {
  return answerLine(clock);
}

/** `/incident deadlines`: the soonest open clocks the reader may see, and how many there are in all (`total`). */
export function deadlinesListMessage(
  rows: ReadonlyArray<{ clock: IncidentClock; incident: Incident }>,
  total: number,
  now: Date,
): RenderedMessage {
  if (rows.length === 0)
    return {
      text: 'No clocks are running on any incident you can see.',
      blocks: [section('No clocks are running on any incident you can see.')],
    };
  const lines = rows.map(({ clock, incident }) => {
    const where = incident.channelId ? channelLink(incident.channelId) : incidentRef(incident);
    return `• *${by(clock.dueAt)}* (${left(clock, now)}) ${incidentRef(incident)} ${where}: ${escapeMrkdwn(clock.name)} (${commandName(clock)})`;
  });
  const hidden = Math.max(0, total - rows.length);
  const more = hidden > 0 ? ` (the ${rows.length} soonest shown, ${hidden} more not shown)` : '';
  const text = fitText(
    `*${total} running clock${total === 1 ? '' : 's'}, soonest first*${more}\n${lines.join('\n')}`,
    SLACK_LIMITS.sectionText,
  );
  return { text: `${total} running clock${total === 1 ? '' : 's'}${more}`, blocks: [section(text)] };
}
