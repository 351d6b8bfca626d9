/**
 * The periods the record is read over: a typed range of days (`/incident export`, the CSV API,
 * `/incident report <from> <to>`), and the weeks and months of the digests.
 */

/** Instants `[from, to)`: a range of whole UTC days, or a digest's week or month. */
export interface Period {
  readonly from: Date;
  readonly to: Date;
}

const YYYY_MM_DD = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A calendar date written YYYY-MM-DD, as the instant its UTC day starts; null when it is not one. */
export function utcDayStart(text: string): Date | null {
  const match = YYYY_MM_DD.exec(text.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

/** The outcome of reading `<from> <to>`: the period, or what was wrong, naming the bad values. */
export type DayRangeResult = { ok: true; period: Period; fromText: string; toText: string } | { ok: false; problems: string[] };

/**
 * `from` and `to` as YYYY-MM-DD, both days included, read in UTC: `2026-03-01 2026-03-31` is
 * March. `to` before `from` is refused; so is a range longer than `maxDays`.
 */
export function readDayRange(fromText: string | undefined, toText: string | undefined, maxDays = 400): DayRangeResult {
  const problems: string[] = [];
  const from = fromText === undefined ? null : utcDayStart(fromText);
  const to = toText === undefined ? null : utcDayStart(toText);
  if (from === null) problems.push(`from: expected a date YYYY-MM-DD, got ${show(fromText)}`);
  if (to === null) problems.push(`to: expected a date YYYY-MM-DD, got ${show(toText)}`);
  if (from === null || to === null) return { ok: false, problems };
  if (to < from) return { ok: false, problems: [`to: ${toText} is before from: ${fromText}`] };
  const days = (to.getTime() - from.getTime()) / DAY_MS + 1;
  if (days > maxDays) return { ok: false, problems: [`to: the range is ${days} days; at most ${maxDays} days at a time`] };
  return {
    ok: true,
    period: { from, to: new Date(to.getTime() + DAY_MS) },
    fromText: (fromText as string).trim(),
    toText: (toText as string).trim(),
  };
}

function show(text: string | undefined): string {
  return text === undefined || text.trim() === '' ? 'nothing' : `"${text.trim().slice(0, 40)}"`;
}
