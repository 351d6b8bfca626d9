/**
 * Instants written as wall-clock time in a given zone for people, e.g. "2026-03-02 20:00".
 * The zone is always explicit: the process time zone never shows through.
 */

import { formatterCache } from './zone-formatters.js';

const formatterFor = formatterCache({
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  numberingSystem: 'latn',
});

export { isKnownTimeZone } from './local-time.js';

/** `YYYY-MM-DD HH:mm` (24-hour) as the wall clock in `timeZone` shows `instant`; seconds are dropped. */
export function formatInZone(instant: Date, timeZone: string): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('formatInZone: invalid Date');
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
