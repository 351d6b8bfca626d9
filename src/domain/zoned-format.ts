/**
 * The one way Meridian writes an instant as text, e.g. "2026-03-02 20:00". Every time written as
 * text (UTC for the authority, a hub's or an order's local time, the fallback of a Slack date) is
 * 24-hour and comes from here; a time each reader sees in their own zone is a Slack date token
 * (`slackDate`), which Slack renders by the reader's own clock setting.
 * The zone is always explicit: the process time zone never shows through.
 */

import { formatterCache } from './zone-formatters.js';

const formatterFor = formatterCache({
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  numberingSystem: 'latn',
});

export { isKnownTimeZone } from './local-time.js';

function partsOf(instant: Date, timeZone: string): Partial<Record<Intl.DateTimeFormatPartTypes, string>> {
  if (Number.isNaN(instant.getTime())) throw new RangeError('formatInZone: invalid Date');
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return parts;
}

/** `YYYY-MM-DD HH:mm` (24-hour) as the wall clock in `timeZone` shows `instant`; with `seconds`, `:ss` when they are not 0. */
export function formatInZone(instant: Date, timeZone: string, opts: { seconds?: boolean } = {}): string {
  const p = partsOf(instant, timeZone);
  const seconds = opts.seconds && p.second !== '00' ? `:${p.second}` : '';
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${seconds}`;
}

/** `HH:mm` (24-hour) on the wall clock of `timeZone`. */
export function clockInZone(instant: Date, timeZone: string): string {
  return formatInZone(instant, timeZone).slice(11);
}

/** "2026-12-07 23:15 UTC": the instant the same for every reader, as a reply to an authority states it. */
export function utcText(instant: Date, opts: { seconds?: boolean } = {}): string {
  return `${formatInZone(instant, 'UTC', opts)} UTC`;
}
