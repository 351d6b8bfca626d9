import { esc, unslack } from './html.js';
import { formatSlackDate } from './zone-time.js';
import { safeUrl } from './safe-url.js';

/** Who reads: names for mentions, the reader's zone for dates, and where links to channels go. */
export interface ReadingContext {
  userName(id: string): string | undefined;
  channelName(id: string): string | undefined;
  /** The page address of a channel, for `<#C…>` links. */
  channelHref(id: string): string;
  tz: string;
  now: Date;
}

/** The emoji the bot and people use most; others show as their `:name:`. */
const EMOJI: Readonly<Record<string, string>> = {
  rotating_light: '🚨',
  warning: '⚠️',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  pushpin: '📌',
  fire: '🔥',
  wave: '👋',
  bell: '🔔',
  pager: '📟',
  arrow_double_up: '⏫',
  arrow_forward: '▶️',
  arrows_counterclockwise: '🔄',
  double_vertical_bar: '⏸️',
  hash: '#️⃣',
  heavy_multiplication_x: '✖️',
  large_green_circle: '🟢',
  leftwards_arrow_with_hook: '↩️',
  small_blue_diamond: '🔹',
  telephone_receiver: '📞',
  bookmark: '🔖',
  mailbox: '📫',
  outbox_tray: '📤',
  eyes: '👀',
  memo: '📝',
  page_facing_up: '📄',
  clipboard: '📋',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  alarm_clock: '⏰',
  stopwatch: '⏱️',
  lock: '🔒',
  busts_in_silhouette: '👥',
  bust_in_silhouette: '👤',
  sos: '🆘',
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  large_blue_circle: '🔵',
  white_circle: '⚪',
  arrow_up: '⬆️',
  arrow_down: '⬇️',
  arrow_right: '➡️',
  repeat: '🔁',
  inbox_tray: '📥',
  calendar: '📆',
  date: '📅',
  loudspeaker: '📢',
  mega: '📣',
  speech_balloon: '💬',
  link: '🔗',
  tada: '🎉',
  construction: '🚧',
  mag: '🔍',
  zzz: '💤',
  sunny: '☀️',
  earth_africa: '🌍',
  earth_americas: '🌎',
  earth_asia: '🌏',
  bar_chart: '📊',
  chart_with_upwards_trend: '📈',
  scales: '⚖️',
  shield: '🛡️',
  no_entry: '⛔',
  information_source: 'ℹ️',
  thumbsup: '👍',
  '+1': '👍',
  raised_hands: '🙌',
  handshake: '🤝',
  package: '📦',
  spiral_note_pad: '🗒️',
  checkered_flag: '🏁',
  black_small_square: '▪️',
};

/** `:name:` as its emoji, or the name itself in a span when the sandbox does not know it. */
export function emoji(name: string): string {
  const glyph = EMOJI[name];
  return glyph === undefined
    ? `<span class="emoji-name">:${esc(name)}:</span>`
    : `<span class="emoji" title=":${esc(name)}:">${glyph}</span>`;
}

/** Emoji names in plain text (`plain_text` with `emoji: true`), the rest escaped. */
export function plainTextHtml(text: string): string {
  return esc(text).replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => (EMOJI[name] === undefined ? whole : emoji(name)));
}

/** One `<…>` token of Slack's message format as HTML. */
function token(inner: string, ctx: ReadingContext): string {
  const [head = '', label] = splitLabel(inner);
  if (head.startsWith('@')) {
    const id = head.slice(1);
    return `<span class="mention">@${esc(label ?? ctx.userName(id) ?? id)}</span>`;
  }
  if (head.startsWith('#')) {
    const id = head.slice(1);
    const name = label ?? ctx.channelName(id) ?? id;
    return `<a class="mention" href="${esc(ctx.channelHref(id))}">#${esc(name)}</a>`;
  }
  if (head.startsWith('!date^')) {
    const [, seconds = '', format = '', link] = head.split('^');
    const at = new Date(Number(seconds) * 1000);
    if (!Number.isFinite(at.getTime())) return esc(unslack(label ?? ''));
    const text = esc(formatSlackDate(at, unslack(format), ctx.tz, ctx.now));
    const href = safeUrl(link === undefined ? undefined : unslack(link));
    return href ? `<a href="${esc(href)}" rel="noreferrer">${text}</a>` : `<time datetime="${at.toISOString()}">${text}</time>`;
  }
  if (head.startsWith('!subteam^')) return `<span class="mention">@${esc(label ?? head.slice('!subteam^'.length))}</span>`;
  if (head.startsWith('!')) return `<span class="mention">@${esc(head.slice(1))}</span>`;
  const url = unslack(head);
  const href = safeUrl(url);
  if (href) return `<a href="${esc(href)}" rel="noreferrer" target="_blank">${esc(unslack(label ?? head))}</a>`;
  return esc(unslack(label ?? head));
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar === -1 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

const EDGE_BEFORE = '(^|[\\s(\\[{"\'>])';
const EDGE_AFTER = '(?=$|[\\s.,!?;:)\\]}"\'<])';
const STYLES: ReadonlyArray<[RegExp, string]> = [
  [new RegExp(`${EDGE_BEFORE}\\*(?! )([^*\\n]+?)\\*${EDGE_AFTER}`, 'g'), 'strong'],
  [new RegExp(`${EDGE_BEFORE}_(?! )([^_\\n]+?)_${EDGE_AFTER}`, 'g'), 'em'],
  [new RegExp(`${EDGE_BEFORE}~(?! )([^~\\n]+?)~${EDGE_AFTER}`, 'g'), 'del'],
];

/** Stands in for rendered HTML while styles apply to the text around it; a private-use character nobody types. */
const MARK = '\uE000';
const HELD = new RegExp(`${MARK}(\\d+)${MARK}`, 'g');

/** A line of text (no code) as HTML: tokens, bold, italic, strike, emoji. */
function inline(text: string, ctx: ReadingContext): string {
  const held: string[] = [];
  const hold = (html: string) => `${MARK}${held.push(html) - 1}${MARK}`;
  // Tokens first: the text around them is still Slack-escaped, so a literal `<` is `&lt;` and never starts one.
  let out = text.replace(/<([^<>\n]+)>/g, (_, inner: string) => hold(token(inner, ctx)));
  out = esc(unslack(out));
  for (const [pattern, tag] of STYLES) out = out.replace(pattern, (_, before: string, body: string) => `${before}<${tag}>${body}</${tag}>`);
  out = out.replace(/:([a-z0-9_+-]+):/g, (_, name: string) => hold(emoji(name)));
  return out.replace(HELD, (_, i: string) => held[Number(i)] ?? '');
}

/** Inline code spans inside a line, the rest through {@link inline}. */
function lineHtml(line: string, ctx: ReadingContext): string {
  return line
    .split(/(`[^`\n]+`)/)
    .map((part) =>
      part.length > 2 && part.startsWith('`') && part.endsWith('`') ? `<code>${esc(unslack(part.slice(1, -1)))}</code>` : inline(part, ctx),
    )
    .join('');
}

/**
 * Slack's mrkdwn as HTML: ``` blocks, `code`, *bold*, _italic_, ~strike~, `>` quotes, links,
 * user and channel mentions by name, `<!date^…>` in the reader's zone, emoji by name.
 * The input is Slack-escaped text (`&lt;` is a literal `<`); everything typed shows literally.
 */
export function mrkdwnHtml(text: string, ctx: ReadingContext): string {
  return text
    .split(/```/)
    .map((chunk, i) => {
      if (i % 2 === 1) return `<pre>${esc(unslack(chunk.replace(/^\n/, '')))}</pre>`;
      const lines = chunk.split('\n');
      const html: string[] = [];
      let quote: string[] = [];
      const flush = () => {
        if (quote.length) html.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
        quote = [];
      };
      for (const line of lines) {
        // A quote is a raw `>` at the line start; a typed `>` arrives escaped as `&gt;`.
        if (line.startsWith('>')) quote.push(lineHtml(line.replace(/^> ?/, ''), ctx));
        else {
          flush();
          html.push(lineHtml(line, ctx));
        }
      }
      flush();
      return html
        .join('<br>')
        .replace(/<br><blockquote>/g, '<blockquote>')
        .replace(/<\/blockquote><br>/g, '</blockquote>');
    })
    .join('');
}
