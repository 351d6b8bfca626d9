import { isSlackConversationId, isSlackUserId, isSlackUsergroupId } from '../domain/slack-user.js';
import { utcText } from '../domain/zoned-format.js';
/**
 * Turning our data into Slack mrkdwn safely. Every piece of user text shown in a message or a
 * mrkdwn block goes through {@link escapeMrkdwn}; mentions, channel links and dates are built
 * only by the functions here.
 */

const ZERO_WIDTH_SPACE = '\u200B';
const MARKER = /[*_~`]/;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** Whether the marker at `index` of `token` could open or close formatting: Slack only formats at a word edge. */
function isAtWordEdge(token: string, index: number): boolean {
  const before = token[index - 1];
  const after = token[index + 1];
  return before === undefined || after === undefined || !WORD_CHARACTER.test(before) || !WORD_CHARACTER.test(after);
}

/**
 * Makes user text display literally in Slack mrkdwn, without changing what a reader copies.
 *
 * - `&`, `<`, `>` become `&amp;`, `&lt;`, `&gt;` (Slack's own rule, decoded again on display and
 *   copy). That defuses `<!channel>`, `<@U123>`, `<!subteam^…>` and `<https://evil|innocent>` links.
 * - `*`, `_`, `~` and `` ` `` only format at a word edge (a marker between two letters or digits, as
 *   in `@kidz_swap_ring`, is inert), so such words are left exactly as typed.
 * - A word (run of non-space characters) holding a marker at a word edge (`~400`, `*urgent*`,
 *   `_handle`) is wrapped in an inline code span: Slack shows code literally, and the backticks
 *   are not part of what is copied. Slack has no backslash escape, and invisible characters
 *   (U+200B) would make a copied handle or hash match nothing in a moderation tool.
 * - Only a word that itself holds a backtick at a word edge cannot be put in a code span; there,
 *   and only there, each such marker is fenced with zero-width spaces.
 */
export function escapeMrkdwn(text: string): string {
  return escapeControlCharacters(text).replace(/[^\s]+/g, (token) => {
    const active: number[] = [];
    for (let i = 0; i < token.length; i += 1) if (MARKER.test(token[i] as string) && isAtWordEdge(token, i)) active.push(i);
    if (active.length === 0) return token;
    if (!token.includes('`')) return `\`${token}\``;
    let out = '';
    for (let i = 0; i < token.length; i += 1) {
      const ch = token[i] as string;
      out += active.includes(i) ? `${ZERO_WIDTH_SPACE}${ch}${ZERO_WIDTH_SPACE}` : ch;
    }
    return out;
  });
}

/** Text for inside a renderer's own inline code span (`` `…` ``): control characters escaped, backticks shown as `'`. */
export function escapeInCode(text: string): string {
  return escapeControlCharacters(text).replaceAll('`', "'");
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
  const fallback = fallbackText ?? utcText(date);
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
