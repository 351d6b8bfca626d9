/**
 * The `<when>` of `/oncall at <when>`: an ISO instant with an offset, or a local date and time
 * with an IANA zone (or none, meaning the caller's own Slack zone). Pure; no clock.
 */
import { isKnownTimeZone } from '../../domain/local-time.js';
import type { RelativeWhen, WhenInput } from '../../domain/when-input.js';
import { WHEN_FORMS } from '../../domain/when-forms.js';
import { truncate } from '../../domain/text.js';

export type WhenParse = { readonly ok: true; readonly when: WhenInput } | { readonly ok: false; readonly error: string };

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::00)?(?:\s+(\S+))?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function checkFields(year: number, month: number, day: number, hour: number, minute: number, second = 0): string | null {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  if (day < 1 || day > daysInMonth(year, month)) return `there is no day ${day} in ${year}-${String(month).padStart(2, '0')}`;
  if (hour > 23 || minute > 59 || second > 59) return 'hours go to 23 and minutes to 59';
  return null;
}

function offsetMinutes(text: string): number | null {
  if (/^(z|utc)$/i.test(text)) return 0;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? '0');
  if (minutes > 14 * 60) return null;
  return match[1] === '-' ? -minutes : minutes;
}

function bad(text: string, why?: string): { readonly ok: false; readonly error: string } {
  const shown = truncate(text, 61);
  const reason = why ? ` (${why})` : '';
  return { ok: false, error: `I can't read \`${shown}\` as a time${reason}. Use ${WHEN_FORMS}.` };
}

/** Reads `/oncall at` input. Never throws; the error names the accepted forms. */
export function parseWhen(raw: string): WhenParse {
  const text = raw.trim();
  if (text === '') return { ok: false, error: `Tell me when, for example ${WHEN_FORMS}.` };
  const iso = ISO_INSTANT.exec(text);
  if (iso) {
    const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(iso[i] ?? '0')) as number[] as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const invalid = checkFields(year, month, day, hour, minute, second);
    if (invalid) return bad(text, invalid);
    const offset = offsetMinutes(iso[8] as string);
    if (offset === null) return bad(text, 'offsets run from -14:00 to +14:00');
    const ms = Number((iso[7] ?? '0').padEnd(3, '0'));
    const epochMs = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 60_000;
    return { ok: true, when: { kind: 'instant', at: new Date(epochMs) } };
  }
  const local = LOCAL.exec(text);
  if (local) {
    const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(local[i])) as [number, number, number, number, number];
    const invalid = checkFields(year, month, day, hour, minute);
    if (invalid) return bad(text, invalid);
    const zone = local[6] ?? null;
    if (zone !== null && !isKnownTimeZone(zone)) {
      return bad(text, `\`${zone.slice(0, 40)}\` is not an IANA time zone; try one such as Europe/Dublin or Asia/Singapore`);
    }
    // Intl accepts any casing; keep the canonical spelling for display.
    const timeZone = zone === null ? null : new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    return { ok: true, when: { kind: 'local', date: { year, month, day }, time: { hour, minute }, timeZone } };
  }
  return bad(text);
}

const RELATIVE_DAY = /^(today|tomorrow)\s+(\d{1,2}):(\d{2})(?:\s+(\S+))?$/i;
const IN = /^in\s+(\d{1,3})\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?)$/i;
const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

export type RelativeWhenParse = { readonly ok: true; readonly when: RelativeWhen } | { readonly ok: false; readonly error: string } | null;

/**
 * `today HH:MM [zone]`, `tomorrow HH:MM [zone]` or `in N minutes|hours|days`, read relative to
 * when it is asked (the service places it); null when the text is none of these.
 */
export function parseRelativeWhen(raw: string): RelativeWhenParse {
  const text = raw.trim();
  const inMatch = IN.exec(text);
  if (inMatch) {
    const unit = (inMatch[2] as string).toLowerCase().charAt(0);
    return { ok: true, when: { kind: 'in', ms: Number(inMatch[1]) * (UNIT_MS[unit] as number) } };
  }
  const day = RELATIVE_DAY.exec(text);
  if (!day) return null;
  const [hour, minute] = [Number(day[2]), Number(day[3])];
  if (hour > 23 || minute > 59) return bad(text, 'hours go to 23 and minutes to 59');
  const zone = day[4] ?? null;
  if (zone !== null && !isKnownTimeZone(zone)) {
    return bad(text, `\`${zone.slice(0, 40)}\` is not an IANA time zone; try one such as Europe/Dublin or Asia/Singapore`);
  }
  const timeZone = zone === null ? null : new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  const days = (day[1] as string).toLowerCase() === 'tomorrow' ? 1 : 0;
  return { ok: true, when: { kind: 'day', days, time: { hour, minute }, timeZone } };
}
