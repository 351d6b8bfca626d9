/**
 * `/incident deadline …`: set, move, pause, resume, extend or clear a response clock. Pure; no
 * clock. Times reuse `/oncall at`'s forms and rule (a local time that does not exist moves
 * forward by the gap; one that happens twice means the first), plus `in N minutes|hours|days`
 * and a deadline kind's id from the config's catalog.
 */
import { isKnownTimeZone } from '../../domain/local-time.js';
import type { DeadlineCommand, DeadlineWhen, ReceivedWhen } from '../../domain/clock-command.js';
import type { WhenInput } from '../../domain/when-input.js';
import { WHEN_FORMS } from '../../domain/when-forms.js';
import { truncate } from '../../domain/text.js';
import { parseWhen } from './oncall-when.js';

export type { DeadlineCommand };

export const DEADLINE_FORMS = `${WHEN_FORMS}, \`in 90 minutes\`, \`in 3 hours\`, \`in 2 days\`, or a deadline kind's id from the config (\`<kind> received <when>\` or \`<kind> received 20 minutes ago\` runs it from receipt)`;

const SPAN = /^(\d+(?:\.\d+)?)\s*(m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days)$/i;
const KIND_ID = /^[a-z0-9][a-z0-9_-]*$/;
const MAX_MINUTES = 366 * 24 * 60;

/** "90 minutes", "3 hours", "2 days" as minutes; null when it is not a span. */
export function spanMinutes(count: string, unit: string): number | null {
  const match = SPAN.exec(`${count} ${unit}`);
  if (!match) return null;
  const n = Number(match[1]);
  const u = (match[2] ?? '').toLowerCase();
  const minutes = u.startsWith('d') ? n * 1440 : u.startsWith('h') ? n * 60 : n;
  return minutes > 0 && minutes <= MAX_MINUTES ? minutes : null;
}

function readWhen(words: readonly string[]): { when: DeadlineWhen; used: number } | { error: string } | null {
  const [a = '', b = '', c = ''] = words;
  if (a.toLowerCase() === 'in') {
    const minutes = spanMinutes(b, c);
    if (minutes === null)
      return {
        error: `I can't read \`${truncate(`in ${b} ${c}`.trim(), 40)}\` as a span. Use \`in 90 minutes\`, \`in 3 hours\` or \`in 2 days\` (up to a year).`,
      };
    return { when: { kind: 'in', minutes }, used: 3 };
  }
  const time = readTime(words);
  if (time) return 'error' in time ? time : { when: { kind: 'when', when: time.when }, used: time.used };
  if (KIND_ID.test(a) && /[a-z]/.test(a)) {
    if (b.toLowerCase() !== 'received') return { when: { kind: 'kind', kindId: a }, used: 1 };
    const received = readReceived(words.slice(2));
    if ('error' in received) return received;
    return { when: { kind: 'kind', kindId: a, received: received.received }, used: 2 + received.used };
  }
  return null;
}

/** An ISO instant or `YYYY-MM-DD HH:MM [zone]` at the front of `words`; null when it is neither. */
function readTime(words: readonly string[]): { when: WhenInput; used: number } | { error: string } | null {
  const [a = '', b = '', c = ''] = words;
  if (/^\d{4}-\d{2}-\d{2}$/.test(a) && /^\d{2}:\d{2}$/.test(b)) {
    // A third word that looks like a zone is one (and must be a real one); otherwise it starts the label.
    const zoned = c !== '' && (c.includes('/') || c.toUpperCase() === 'UTC' || isKnownTimeZone(c));
    const parsed = parseWhen(zoned ? `${a} ${b} ${c}` : `${a} ${b}`);
    return parsed.ok ? { when: parsed.when, used: zoned ? 3 : 2 } : { error: parsed.error };
  }
  if (/^\d{4}-\d{2}-\d{2}[Tt]/.test(a)) {
    const instant = parseWhen(a);
    return instant.ok ? { when: instant.when, used: 1 } : { error: instant.error };
  }
  return null;
}

/** What follows `<kind> received`: a time (the forms above) or `N minutes|hours|days ago`. */
function readReceived(words: readonly string[]): { received: ReceivedWhen; used: number } | { error: string } {
  const [a = '', b = '', c = ''] = words;
  const usage = `Say when the order was received: \`received 2026-03-02 09:15 Europe/Dublin\`, an ISO instant, or \`received 20 minutes ago\`.`;
  if (c.toLowerCase() === 'ago') {
    const minutes = spanMinutes(a, b);
    return minutes === null ? { error: usage } : { received: { kind: 'ago', minutes }, used: 3 };
  }
  const time = readTime(words);
  if (!time) return { error: usage };
  return 'error' in time ? time : { received: { kind: 'when', when: time.when }, used: time.used };
}

/** Reads the text after `/incident deadline`. Never throws; errors name the accepted forms. */
export function parseDeadlineCommand(text: string): DeadlineCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first = '', ...others] = words;
  const rest = others.join(' ');
  switch (first.toLowerCase()) {
    case '':
      return { op: 'error', error: `Tell me when it is due: \`/incident deadline <when> [label]\`, where <when> is ${DEADLINE_FORMS}.` };
    case 'clear':
    case 'remove':
      return { op: 'clear', rest };
    case 'pause':
      return { op: 'pause', rest };
    case 'resume':
      return { op: 'resume', rest };
    case 'extend':
      return parseExtend(others);
  }
  const read = readWhen(words);
  if (read === null) return { op: 'error', error: `I can't read \`${truncate(text.trim(), 60)}\` as a deadline. Use ${DEADLINE_FORMS}.` };
  if ('error' in read) return { op: 'error', error: read.error };
  const label = words.slice(read.used).join(' ').trim();
  return label ? { op: 'set', when: read.when, label: truncate(label, 80) } : { op: 'set', when: read.when };
}

/** `extend [name] <N> <unit> <reason>`: the reason is required, for the record. */
function parseExtend(words: readonly string[]): DeadlineCommand {
  const numberAt = words.findIndex((w) => /^\d+(\.\d+)?$/.test(w));
  const usage = 'Say by how much and why: `/incident deadline extend 24 hours the Commissioner allowed more time`.';
  if (numberAt < 0 || numberAt > 1) return { op: 'error', error: usage };
  const minutes = spanMinutes(words[numberAt] ?? '', words[numberAt + 1] ?? '');
  if (minutes === null) return { op: 'error', error: usage };
  const reason = words
    .slice(numberAt + 2)
    .join(' ')
    .trim();
  if (!reason) return { op: 'error', error: `Give the reason for the extension, for the record. ${usage}` };
  return { op: 'extend', minutes, reason: truncate(reason, 500), ...(numberAt === 1 ? { name: words[0] } : {}) };
}
