/**
 * User text written into a Markdown file (the post-incident review) without letting it change
 * the document's structure: no headings, lists, tables, code fences, HTML or links made out of
 * a title or a summary. Text keeps its characters; Markdown's own backslash escapes hide their
 * meaning. Nothing Slack-specific happens here.
 */

/** Characters that format or open a structure anywhere in a line (`_` apart: see below). */
const SPECIAL = /[\\`*~[\]<>|]/g;
/**
 * An underscore between two letters or digits cannot open or close emphasis (CommonMark's
 * intraword rule), so `@kidz_swap_2024` stays as typed: Slack's file preview shows the raw text,
 * where a backslash would be copied into a moderation tool. Any other underscore is escaped.
 */
const LOOSE_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
/** C0 controls and DEL, except tab and line breaks (handled separately). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point: they are stripped from text
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/;

/** Escapes one line, including a marker at its start that would open a block. */
function escapeLine(line: string): string {
  return line
    .replace(SPECIAL, '\\$&')
    .replace(LOOSE_UNDERSCORE, '\\_')
    .replace(/^[#+\-=]/, '\\$&') // heading, list item, setext underline, thematic break
    .replace(/^(\d+)([.)])/, '$1\\$2') // ordered list item
    .replace(/(\s)(#+)$/, '$1\\$2'); // a heading's closing sequence would be dropped
}

/** Text on one line, for headings, table cells and list items: every line break becomes a space. */
export function markdownInline(text: string): string {
  return escapeLine(text.replace(CONTROL, '').replace(/\s+/g, ' ').trim());
}

/**
 * Text of several lines and paragraphs, as typed: each line stays a line (a Markdown hard
 * break ends it), a blank line separates paragraphs. Leading spaces go, so nothing turns into
 * an indented code block.
 */
export function markdownBlock(text: string): string {
  const lines = text
    .replace(CONTROL, '')
    .split(LINE_BREAK)
    .map((line) => line.replace(/\s+/g, ' ').trim());
  const paragraphs: string[][] = [[]];
  for (const line of lines) {
    const current = paragraphs[paragraphs.length - 1] as string[];
    if (line) current.push(escapeLine(line));
    else if (current.length > 0) paragraphs.push([]);
  }
  return paragraphs
    .filter((p) => p.length > 0)
    .map((p) => p.join('\\\n'))
    .join('\n\n');
}
