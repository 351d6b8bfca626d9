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

/**
 * Slack escapes `&`, `<` and `>` in the text it delivers (`&amp;`, `&lt;`, `&gt;`); decoded once,
 * in one pass, so `&amp;lt;` (a person typing `&lt;`) stays `&lt;`.
 */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;|&gt;|&amp;/g, (entity) => (entity === '&lt;' ? '<' : entity === '&gt;' ? '>' : '&'));
}

// LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI, LRM/RLM and the Arabic letter mark: they reorder what a reader sees.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/** `text` without bidirectional controls, so a title cannot render backwards or hide its ending. */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

// C0 controls except tab, line feed and carriage return (multi-line input), and DEL.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's purpose.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** True when `text` holds a NUL or another control character no person means to type. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}
