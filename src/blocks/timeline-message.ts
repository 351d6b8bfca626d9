/** `/incident timeline`: the incident's entries, dated for each reader's own zone, within Slack's limits. */
import type { KnownBlock } from '@slack/types';
import type { Incident, TimelineEntry } from '../domain/incident.js';
import { isSlackUserId } from '../domain/slack-user.js';
import { entryPeople, loweredSeverity } from '../domain/timeline-people.js';
import { truncate } from '../domain/text.js';
import { escapeControlCharacters, escapeMrkdwn, slackDate, userMention } from '../slack-api/mrkdwn.js';
import { incidentRef, type RenderedMessage } from './incident-messages.js';
import { contextOf, fitText, section } from './kit.js';
import { SLACK_LIMITS } from './slack-limits.js';

/** Slack: 50 blocks a message; the header and the "not shown" line take two. */
export const MAX_ENTRY_BLOCKS = 45;
/** A captured message is cut well before Slack's 3,000 a section; what escaping adds is cut again in {@link timelineEntryText}. */
const MAX_ENTRY_TEXT = 1500;
/** Keeps the whole reply far below what Slack accepts for one message. */
const MAX_TOTAL_CHARS = 30_000;
/** Date and time (incidents run for days), each reader in their own zone. */
const ENTRY_DATE_FORMAT = '{date_short_pretty} {time}';

const ICON: Readonly<Record<string, string>> = {
  declared: ':rotating_light:',
  channel_created: ':hash:',
  note: ':memo:',
  pin: ':pushpin:',
  reaction: ':pushpin:',
  paged: ':pager:',
  acknowledged: ':white_check_mark:',
  escalated: ':arrow_double_up:',
  unacknowledged: ':warning:',
  status_changed: ':arrows_counterclockwise:',
  severity_changed: ':chart_with_upwards_trend:',
  role_assigned: ':bust_in_silhouette:',
  update_posted: ':loudspeaker:',
  resolved: ':checkered_flag:',
};

const SAFE_PERMALINK = /^https:\/\/[^\s<>|]+$/;

/** User text as a block quote: escaped, so a `>` or `<!channel>` in it stays literal. */
function quote(text: string): string {
  return truncate(text.trim(), MAX_ENTRY_TEXT)
    .split('\n')
    .map((line) => `>${escapeMrkdwn(line)}`)
    .join('\n');
}

function byline(entry: TimelineEntry): string {
  const who = isSlackUserId(entry.actorId) ? userMention(entry.actorId) : null;
  switch (entry.kind) {
    case 'pin':
      return `${who ?? 'A message'} (pinned)`;
    case 'reaction':
      return `${who ?? 'A message'} (marked with :pushpin:)`;
    case 'note':
      return `${who ?? 'Someone'} noted`;
    default: {
      const people = entryPeople(entry);
      const what = people ? `${escapeMrkdwn(people.prefix)}${people.userIds.map(userMention).join(', ')}` : escapeMrkdwn(entry.text);
      return who ? `${what} (${who})` : what;
    }
  }
}

/** One entry: when, what, who, and for captured messages the text and a link to the original. */
export function timelineEntryText(entry: TimelineEntry): string {
  const icon = loweredSeverity(entry) ? ':chart_with_downwards_trend:' : (ICON[entry.kind] ?? ':small_blue_diamond:');
  const max = SLACK_LIMITS.sectionText;
  const head = fitText(`${slackDate(entry.at, ENTRY_DATE_FORMAT)}  ${icon} ${byline(entry)}`, max);
  const isCaptured = entry.kind === 'pin' || entry.kind === 'reaction' || entry.kind === 'note';
  if (!isCaptured) return head;
  const link =
    entry.permalink && SAFE_PERMALINK.test(entry.permalink) ? `\n<${escapeControlCharacters(entry.permalink)}|View message>` : '';
  // The quote gives way, so the date, the author and the link always fit in one section.
  const room = Math.max(0, max - head.length - link.length - 1);
  return `${head}\n${fitText(quote(entry.text || ' '), room)}${link}`;
}

/**
 * The timeline reply. `entries` are the latest ones, oldest first, and `total` how many the
 * incident has: what does not fit is left out from the oldest end, and the reply says how many.
 */
export function timelineMessage(
  incident: Pick<Incident, 'number' | 'title'>,
  entries: readonly TimelineEntry[],
  total: number,
  opts: { redactable?: boolean; texts?: readonly RedactableText[] } = {},
): RenderedMessage {
  // The incident's own texts come first for those who may redact; at most a few, so the entries keep their room.
  const texts = opts.redactable ? (opts.texts ?? []).slice(0, MAX_TEXT_BLOCKS) : [];
  const ref = incidentRef(incident);
  const title = escapeMrkdwn(incident.title);
  const shown: Array<{ text: string; entry: TimelineEntry }> = [];
  let chars = 0;
  for (const entry of [...entries].reverse()) {
    if (shown.length >= MAX_ENTRY_BLOCKS - texts.length) break;
    const text = timelineEntryText(entry);
    if (chars + text.length > MAX_TOTAL_CHARS) break;
    shown.unshift({ text, entry });
    chars += text.length;
  }
  const hidden = Math.max(0, total - shown.length);
  const blocks: KnownBlock[] = [section(`*Timeline of ${ref}: ${title}*`)];
  for (const t of texts) {
    const head = `*${escapeMrkdwn(t.label)}*\n`;
    const text = `${head}${fitText(quote(t.text || ' '), SLACK_LIMITS.sectionText - head.length - 1)}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text }, accessory: redactButton(t.value) });
  }
  if (total === 0) blocks.push(section('_Nothing on the timeline yet._'));
  for (const { text, entry } of shown)
    blocks.push(
      opts.redactable && isRedactable(entry)
        ? { type: 'section', text: { type: 'mrkdwn', text: fitText(text, SLACK_LIMITS.sectionText) }, accessory: redactButton(entry.id) }
        : section(text),
    );
  if (hidden > 0) {
    blocks.push(
      contextOf(
        `${hidden} earlier ${hidden === 1 ? 'entry is' : 'entries are'} not shown here. \`/incident review\` has the whole timeline.`,
      ),
    );
  }
  const count = `${total} ${total === 1 ? 'entry' : 'entries'}${hidden > 0 ? `, latest ${shown.length} shown` : ''}`;
  return { text: `Timeline of ${ref}: ${title} (${count})`, blocks };
}

/** An incident text a Redact button is offered for: its summary, resolution, mitigation, an intake report's body. */
export interface RedactableText {
  readonly label: string;
  readonly text: string;
  /** The button's value: the redaction target (`redactTargetValue`). */
  readonly value: string;
}

/** At most this many incident texts with a Redact button head the timeline. */
const MAX_TEXT_BLOCKS = 4;

/** The action id of a Redact button (issue 24); its value is the entry id, or `<kind>:<id>` for other texts. */
export const REDACT_ENTRY_ACTION = 'timeline_redact';

/** People's words (notes, updates, captured messages) not redacted yet: what a Redact button is offered for. */
function isRedactable(entry: TimelineEntry): boolean {
  return ['note', 'pin', 'reaction', 'update_posted'].includes(entry.kind) && entry.data.redacted !== true;
}

export function redactButton(entryId: string) {
  return { type: 'button' as const, action_id: REDACT_ENTRY_ACTION, value: entryId, text: { type: 'plain_text' as const, text: 'Redact' } };
}
