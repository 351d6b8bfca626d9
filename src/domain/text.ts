/** Cutting user text to Slack's limits without breaking what a reader sees. Pure. */

const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * `text` cut to at most `max` UTF-16 code units (how Slack counts its limits), ending in `…` when
 * cut. It cuts only between graphemes, so an emoji, a flag, a ZWJ family or a letter with its
 * combining marks stays whole or goes whole, and no surrogate pair is ever split.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length;
  if (room < 0) return '';
  let end = 0;
  for (const { index, segment } of graphemes.segment(text)) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  return `${text.slice(0, end)}${ELLIPSIS}`;
}
