import { isSlackConversationId, isSlackUserId, isSlackUsergroupId } from '../domain/slack-user.js';
/**
 * Turning our data into Slack mrkdwn safely. Every piece of user text shown in a message or a
 * mrkdwn block goes through {@link escapeMrkdwn}; mentions, channel links and dates are built
 * only by the functions here.
 */

const ZERO_WIDTH_SPACE = '\u200B';

/**
 * Makes user text display literally in Slack mrkdwn.
 *
 * - `&`, `<`, `>` become `&amp;`, `&lt;`, `&gt;` (Slack's own rule). That defuses `<!channel>`,
 *   `<@U123>`, `<!subteam^…>` and `<https://evil|innocent>` links.
 * - `*`, `_`, `~` and `` ` `` keep their glyphs but lose their formatting power: Slack has no
 *   backslash escape, so we put a zero-width space (U+200B) on both sides of each. Slack only
 *   formats when a marker sits at a word edge and touches non-space text inside, so whichever
 *   way its parser classifies U+200B (space or word character), one side breaks the pattern.
 *   We chose this over look-alikes such as the fullwidth asterisk (U+FF0A) because readers see
 *   the exact characters that were typed; the cost is invisible characters in copied text.
 */
export function escapeMrkdwn(text: string): string {
  return escapeControlCharacters(text).replace(/[*_~`]/g, (marker) => `${ZERO_WIDTH_SPACE}${marker}${ZERO_WIDTH_SPACE}`);
}

/** Only Slack's three control characters; for text inside `<…|text>` or plain_text fallbacks. */
export function escapeControlCharacters(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const DEFAULT_DATE_FORMAT = '{date_short_pretty} at {time}';

/**
 * A date every reader sees in their own time zone: `<!date^epoch^format|fallback>`.
 *
 * @param format Slack date tokens, e.g. `{date_short_pretty} at {time}`; must not contain `|` or `>`.
 * @param fallbackText Shown where Slack cannot render the token; defaults to the UTC time.
 */
export function slackDate(date: Date, format: string = DEFAULT_DATE_FORMAT, fallbackText?: string): string {
  const epochMs = date.getTime();
  if (Number.isNaN(epochMs)) throw new RangeError('slackDate: invalid Date');
  if (/[|>^]/.test(format)) throw new RangeError('slackDate: format must not contain |, > or ^');
  const fallback = fallbackText ?? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(epochMs / 1000)}^${format}|${escapeControlCharacters(fallback).replace(/\|/g, '/')}>`;
}

/**
 * `<@U…>`. Throws on anything that is not a Slack user id, so text from a user can never be
 * smuggled into a mention; ids should have been validated at the edge already.
 */
export function userMention(id: string): string {
  if (!isSlackUserId(id)) throw new RangeError(`userMention: not a Slack user id: ${JSON.stringify(String(id).slice(0, 40))}`);
  return `<@${id}>`;
}

/** `<#C…>`: a link to a channel, rendered with its current name for the reader. */
export function channelLink(id: string): string {
  if (!isSlackConversationId(id)) throw new RangeError(`channelLink: not a Slack channel id: ${JSON.stringify(String(id).slice(0, 40))}`);
  return `<#${id}>`;
}

/** `<!subteam^S…>`: mentions (and notifies) a user group. */
export function usergroupMention(id: string): string {
  if (!isSlackUsergroupId(id)) throw new RangeError(`usergroupMention: not a user group id: ${JSON.stringify(String(id).slice(0, 40))}`);
  return `<!subteam^${id}>`;
}
