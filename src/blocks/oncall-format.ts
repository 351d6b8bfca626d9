/**
 * Small pieces shared by the on-call messages: a hub's local time, a person or "nobody",
 * durations. Instants a reader should see in their own zone go through `slackDate`; a hub's
 * local time is computed from the UTC instant and the hub's zone, never from the process zone.
 */
import type { KnownBlock } from '@slack/types';
import { localDateTimeOf } from '../domain/local-time.js';
import { clockInZone } from '../domain/zoned-format.js';
import { isSlackUserId } from '../domain/slack-user.js';
import { escapeControlCharacters, escapeMrkdwn, slackDate, userMention } from '../slack-api/mrkdwn.js';
import { contextOf, fitText, section as sectionBlock } from './kit.js';

const WEEKDAY_LABEL = { sun: 'Sun', mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat' } as const;
const MONTH_LABEL = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `14:05 Mon` (or `14:05 Mon 2 Mar` with the date) on the wall clock of `timeZone`. */
export function hubClock(instant: Date, timeZone: string, opts: { withDate?: boolean } = {}): string {
  const local = localDateTimeOf(instant, timeZone);
  const clock = `${clockInZone(instant, timeZone)} ${WEEKDAY_LABEL[local.weekday]}`;
  return opts.withDate ? `${clock} ${local.day} ${MONTH_LABEL[local.month - 1]}` : clock;
}

/** `Dublin` for `Europe/Dublin`, `Los Angeles` for `America/Los_Angeles`. */
export function cityOf(timeZone: string): string {
  const last = timeZone.split('/').pop() ?? timeZone;
  return last.replace(/_/g, ' ');
}

/**
 * An IANA zone name for display. Zones are validated when the config is loaded, so only Slack's
 * control characters are escaped: the `_` of `Los_Angeles` sits inside a word, where Slack never
 * formats, and people copy zone names into `/oncall at`.
 */
export function zoneText(timeZone: string): string {
  return escapeControlCharacters(timeZone);
}

/** `APAC (Asia/Singapore, 14:05 Mon)`. */
export function hubLabel(layerName: string, timeZone: string, instant: Date, opts: { withDate?: boolean } = {}): string {
  return `${escapeMrkdwn(layerName)} (${zoneText(timeZone)}, ${hubClock(instant, timeZone, opts)})`;
}

/** A mention for a Slack user id; anything else (never expected) shown as escaped text. */
export function person(userId: string | null): string {
  if (userId === null) return '*nobody*';
  return isSlackUserId(userId) ? userMention(userId) : escapeMrkdwn(userId);
}

/** A date each reader sees in their own zone, with the weekday: `Mon 2 Mar at 09:00`. */
export function when(instant: Date): string {
  return slackDate(instant, '{date_short_pretty} at {time}');
}

/** Hours with one decimal at most: `90`, `7.5`. */
export function hours(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A message as the `/oncall` reply and DMs carry it. */
export interface OncallMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Sections of at most 3000 characters and at most 50 blocks, the text kept whole as fallback. */
export function messageOf(sections: readonly string[], contexts: ReadonlyMap<number, string> = new Map()): OncallMessage {
  const blocks: KnownBlock[] = [];
  sections.forEach((section, index) => {
    if (blocks.length >= 49) return;
    blocks.push(sectionBlock(section));
    const context = contexts.get(index);
    if (context && blocks.length < 49) blocks.push(contextOf(context));
  });
  const text = fitText(sections.join('\n'), 3900);
  return { text, blocks };
}
