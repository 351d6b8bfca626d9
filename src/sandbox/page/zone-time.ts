/**
 * Dates as a person in a zone reads them, for `<!date^…>` tokens, message times and the clock.
 * Intl only: the sandbox renders, it does no scheduling maths.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** The wall-clock fields of `at` in `tz`. */
export function localParts(at: Date, tz: string): LocalParts {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    weekday: 'short',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    second: Number(get('second')),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
  };
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `18:39`, or with seconds `18:39:05`. Slack renders `{time}` by each reader's own clock setting
 * (12- or 24-hour); the sandbox's people use a 24-hour clock, as its message times and every time
 * Meridian writes as text do, so no line mixes the two.
 */
function clockTime(p: LocalParts, seconds: boolean): string {
  return `${pad(p.hour)}:${pad(p.minute)}${seconds ? `:${pad(p.second)}` : ''}`;
}

/** Days from `now`'s local date to `at`'s local date in `tz` (-1 yesterday, 0 today, 1 tomorrow). */
function dayDelta(at: Date, now: Date, tz: string): number {
  const a = localParts(at, tz);
  const b = localParts(now, tz);
  return Math.round((Date.UTC(a.year, a.month - 1, a.day) - Date.UTC(b.year, b.month - 1, b.day)) / 86_400_000);
}

function ago(at: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - at.getTime()) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  const [n, unit] =
    s < 60
      ? [s, 'second']
      : s < 3600
        ? [Math.floor(s / 60), 'minute']
        : s < 86_400
          ? [Math.floor(s / 3600), 'hour']
          : [Math.floor(s / 86_400), 'day'];
  const words = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return future ? `in ${words}` : `${words} ago`;
}

/**
 * Slack's `<!date^seconds^format|fallback>` format: `{date_num}`, `{date}`, `{date_short}`,
 * `{date_long}`, their `_pretty` forms (today / yesterday / tomorrow), `{time}`, `{time_secs}`, `{ago}`.
 */
export function formatSlackDate(at: Date, format: string, tz: string, now: Date): string {
  const p = localParts(at, tz);
  const month = MONTHS[p.month - 1] ?? '';
  const dates: Record<string, string> = {
    date_num: `${p.year}-${pad(p.month)}-${pad(p.day)}`,
    date: `${month} ${ordinal(p.day)}, ${p.year}`,
    date_short: `${month.slice(0, 3)} ${p.day}, ${p.year}`,
    date_long: `${WEEKDAYS[p.weekday] ?? ''}, ${month} ${ordinal(p.day)}, ${p.year}`,
  };
  const delta = dayDelta(at, now, tz);
  const relative = delta === 0 ? 'today' : delta === -1 ? 'yesterday' : delta === 1 ? 'tomorrow' : undefined;
  return format.replace(/\{([a-z_]+)\}/g, (token, name: string) => {
    if (name in dates) return dates[name] ?? token;
    if (name.endsWith('_pretty')) return relative ?? dates[name.slice(0, -'_pretty'.length)] ?? token;
    if (name === 'time') return clockTime(p, false);
    if (name === 'time_secs') return clockTime(p, true);
    if (name === 'ago') return ago(at, now);
    return token;
  });
}

/** A message's time as the sidebar of Slack shows it: `14:03`, with the day when not today. */
export function messageTime(at: Date, tz: string, now: Date): string {
  const p = localParts(at, tz);
  const time = `${pad(p.hour)}:${pad(p.minute)}`;
  return dayDelta(at, now, tz) === 0 ? time : `${(MONTHS[p.month - 1] ?? '').slice(0, 3)} ${p.day}, ${time}`;
}

/** `Tue 14:03` in `tz`, for the sandbox clock. */
export function shortDateTime(at: Date, tz: string): string {
  const p = localParts(at, tz);
  return `${(WEEKDAYS[p.weekday] ?? '').slice(0, 3)} ${p.day} ${(MONTHS[p.month - 1] ?? '').slice(0, 3)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** Epoch seconds of a wall-clock `YYYY-MM-DDTHH:MM` in `tz` (what a datetimepicker returns). */
export function zonedToEpochSeconds(local: string, tz: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return undefined;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // Two passes find the offset in force at that wall time (good enough outside DST gaps).
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(guess), tz);
    const asWall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess = wall - (asWall - guess);
  }
  return Math.floor(guess / 1000);
}

/** `YYYY-MM-DDTHH:MM` of epoch seconds in `tz`, for a datetimepicker's initial value. */
export function epochSecondsToZoned(seconds: number, tz: string): string {
  const p = localParts(new Date(seconds * 1000), tz);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}
