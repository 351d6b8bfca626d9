/**
 * The Block Kit kit: the few builders every renderer uses (sections, context, plain text, capped
 * block lists) and the text fitting that keeps them inside Slack's limits (slack-limits.ts).
 * Pure. Lengths are UTF-16 code units (how Slack counts), measured on the text as sent, so after
 * escaping: `&` typed by a user costs five characters (`&amp;`).
 *
 * Cuts happen only between "units" a reader sees whole: an escape (`&amp;`, `&lt;`, `&gt;`), an
 * angle-bracket token (`<@U…>`, `<#C…>`, `<!date^…|…>`, `<https://…|…>`), an emoji shortcode
 * (`:white_check_mark:`), an escaped marker (U+200B `*` U+200B), an inline code span around one
 * escaped word (`` `~400` ``, see escapeMrkdwn) or one grapheme (so no emoji,
 * flag or surrogate pair is ever split).
 */
import type { KnownBlock, PlainTextElement } from '@slack/types';
import { truncate } from '../domain/text.js';
import { SLACK_LIMITS } from './slack-limits.js';

const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** Tokens that must stay whole. `<…>` without a `<` inside; Slack's own escapes; shortcodes; escaped markers. */
const ATOM = /<[^<>]*>|&(?:amp|lt|gt);|:[a-z0-9_+'-]+:|\u200B[*_~`]\u200B|`[^`\s]+`/gi;

/** End offsets of the units of `text`; a token longer than `max` (say a huge link) falls back to its graphemes. */
function unitEnds(text: string, max = Number.POSITIVE_INFINITY): number[] {
  const ends: number[] = [];
  const pushGraphemes = (from: number, to: number) => {
    for (const { index, segment } of graphemes.segment(text.slice(from, to))) ends.push(from + index + segment.length);
  };
  let at = 0;
  for (const match of text.matchAll(ATOM)) {
    const start = match.index;
    pushGraphemes(at, start);
    const end = start + match[0].length;
    if (match[0].length <= max) ends.push(end);
    else pushGraphemes(start, end);
    at = end;
  }
  pushGraphemes(at, text.length);
  return ends;
}

/**
 * `mrkdwn` cut to at most `max` characters at a safe point, ending in `…` when cut. Use it for
 * one-block texts (a field, a context line) that may grow with user text.
 */
export function fitText(mrkdwn: string, max: number): string {
  if (mrkdwn.length <= max) return mrkdwn;
  const room = max - ELLIPSIS.length;
  let end = 0;
  for (const e of unitEnds(mrkdwn)) {
    if (e > room) break;
    end = e;
  }
  return `${mrkdwn.slice(0, end).trimEnd()}${ELLIPSIS}`;
}

/**
 * `mrkdwn` split into pieces of at most `max` characters, at the last line break in reach, else
 * after the last space, else between units (break points in the first half of a piece do not count). Nothing is lost: the pieces joined are `mrkdwn`.
 */
export function splitText(mrkdwn: string, max: number = SLACK_LIMITS.sectionText): string[] {
  if (mrkdwn.length <= max) return [mrkdwn];
  const ends = unitEnds(mrkdwn, max);
  const pieces: string[] = [];
  let start = 0;
  let i = 0;
  while (start < mrkdwn.length) {
    if (mrkdwn.length - start <= max) {
      pieces.push(mrkdwn.slice(start));
      break;
    }
    let line = -1;
    let space = -1;
    let last = -1;
    for (let j = i; j < ends.length; j++) {
      const end = ends[j] as number;
      if (end - start > max) break;
      last = j;
      const ch = mrkdwn[end - 1];
      if (ch === '\n') line = j;
      else if (ch === ' ') space = j;
    }
    // A break point counts only in the second half of the piece: a heading's line break must not leave a tiny section.
    const half = (j: number) => j >= 0 && (ends[j] as number) - start >= max / 2;
    // A unit never exceeds max (see unitEnds), so `last` is at least `i`.
    const cut = half(line) ? line : half(space) ? space : last;
    const end = ends[cut] as number;
    pieces.push(mrkdwn.slice(start, end));
    start = end;
    i = cut + 1;
  }
  return pieces;
}

/** Section blocks carrying all of `mrkdwn`, split as {@link splitText} does. */
export function sectionsOf(mrkdwn: string): KnownBlock[] {
  return splitText(mrkdwn, SLACK_LIMITS.sectionText).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

/** A mrkdwn section of at most Slack's 3,000 characters (cut with `…`): for text that must stay one block. */
export function section(mrkdwn: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: fitText(mrkdwn, SLACK_LIMITS.sectionText) } };
}

/** A context block with one mrkdwn element of at most 3,000 characters. */
export function contextOf(mrkdwn: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: fitText(mrkdwn, SLACK_LIMITS.contextText) }] };
}

/** A plain_text object of at most `max` characters (grapheme-safe, `…` when cut). */
export function plainText(text: string, max: number = SLACK_LIMITS.plainText): PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max) };
}

/**
 * At most `max` blocks. When some must go, the last kept block is `more(n)`, the line that says
 * how many (`n`) were left out and where to see them.
 */
export function capBlocks(blocks: readonly KnownBlock[], max: number, more: (n: number) => KnownBlock): KnownBlock[] {
  if (blocks.length <= max) return [...blocks];
  const kept = blocks.slice(0, max - 1);
  return [...kept, more(blocks.length - kept.length)];
}
