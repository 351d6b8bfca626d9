/**
 * Where a page reaches a person beyond Slack: their contact methods (SMS, voice, email) and
 * their notification rules ("Slack at once, SMS after 1 minute, a call after 3 if still
 * unacknowledged"). Pure: phone numbers are parsed by libphonenumber-js, nothing here does I/O.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** How a person can be reached; `slack` (a DM) is always there. */
export const NOTIFY_METHODS = ['slack', 'sms', 'voice', 'email'] as const;
export type NotifyMethod = (typeof NOTIFY_METHODS)[number];
/** The methods that need an address of the person's (a phone or a mailbox). */
export type ContactKind = Exclude<NotifyMethod, 'slack'>;

/** One rule: this method, this long after the page, while it is unacknowledged. */
export interface NotificationRule {
  readonly afterMinutes: number;
  readonly method: NotifyMethod;
}

/** A verified address of a person's (E.164 for phones). */
export interface ContactMethod {
  readonly userId: string;
  readonly kind: ContactKind;
  readonly address: string;
}

/** When nobody set any: Slack at once, SMS after a minute, a call after three. */
export const DEFAULT_NOTIFICATION_RULES: readonly NotificationRule[] = [
  { afterMinutes: 0, method: 'slack' },
  { afterMinutes: 1, method: 'sms' },
  { afterMinutes: 3, method: 'voice' },
];

/** A phone number as typed, in E.164 (`+353850000001`), or why not. Numbers without `+` are read as `defaultCountry`'s. */
export function normalisePhone(
  typed: string,
  defaultCountry?: 'US' | 'IE' | 'GB' | 'SG',
): { ok: true; e164: string } | { ok: false; problem: string } {
  const parsed = parsePhoneNumberFromString(typed.trim(), defaultCountry);
  if (!parsed) return { ok: false, problem: 'That is not a phone number: write it with its country code, like +353 85 123 4567.' };
  if (!parsed.isValid()) return { ok: false, problem: 'That number is not valid for its country: check the digits and the country code.' };
  return { ok: true, e164: parsed.number };
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** An email address, lower-cased domain, or why not. */
export function normaliseEmail(typed: string): { ok: true; address: string } | { ok: false; problem: string } {
  const t = typed.trim();
  if (t.length > 254 || !EMAIL.test(t)) return { ok: false, problem: 'That is not an email address, like name@example.com.' };
  const at = t.lastIndexOf('@');
  return { ok: true, address: `${t.slice(0, at)}@${t.slice(at + 1).toLowerCase()}` };
}

/** `+353 ••• ••• 01`-style: the country code and the last two digits, for anyone but the owner and admins. */
export function maskAddress(kind: ContactKind, address: string): string {
  if (kind === 'email') {
    const at = address.lastIndexOf('@');
    return `${address.slice(0, 1)}•••@${address.slice(at + 1)}`;
  }
  const parsed = parsePhoneNumberFromString(address);
  const cc = parsed ? `+${parsed.countryCallingCode}` : '+';
  return `${cc} ••• ${address.slice(-2)}`;
}

/**
 * The rules a page follows for one person, in order of time: their own when they set any, else
 * the default. Slack is always first (the step's DM); a rule whose method has no verified
 * contact is dropped, so the next one takes its turn.
 */
export function rulesToFollow(
  own: readonly NotificationRule[],
  fallback: readonly NotificationRule[],
  verified: ReadonlySet<ContactKind>,
): NotificationRule[] {
  const rules = own.length > 0 ? own : fallback;
  return [...rules].filter((r) => r.method !== 'slack' && verified.has(r.method)).sort((a, b) => a.afterMinutes - b.afterMinutes);
}

/** When the rule at `index` is due for a page paged at `pagedAt`; a provider that failed brings the next one forward to `now`. */
export function ruleDueAt(rule: NotificationRule, pagedAt: Date, now: Date, previousFailed: boolean): Date {
  const planned = new Date(pagedAt.getTime() + rule.afterMinutes * 60_000);
  if (previousFailed) return now;
  return planned.getTime() < now.getTime() ? now : planned;
}

const METHOD_WORDS: Readonly<Record<NotifyMethod, string>> = {
  slack: 'a Slack DM',
  sms: 'a text message',
  voice: 'a phone call',
  email: 'an email',
};

/** "A Slack DM at once, then a text message after 1 minute, then a phone call after 3 minutes, while unacknowledged." */
export function describeRules(rules: readonly NotificationRule[]): string {
  const parts = [...rules]
    .sort((a, b) => a.afterMinutes - b.afterMinutes)
    .map((r) => `${METHOD_WORDS[r.method]} ${r.afterMinutes === 0 ? 'at once' : `after ${formatMinutes(r.afterMinutes)}`}`);
  if (!parts.some((p) => p.startsWith(METHOD_WORDS.slack))) parts.unshift(`${METHOD_WORDS.slack} at once`);
  const text = parts.join(', then ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}, while the page is unacknowledged.`;
}

function formatMinutes(m: number): string {
  if (m < 1) return `${Math.round(m * 60)} seconds`;
  return m === 1 ? '1 minute' : `${m} minutes`;
}

/** An SMS reply to a page: `<code>a` acknowledges, `<code>e` escalates (GoAlert's convention). */
export function parseSmsReply(body: string): { code: number; action: 'acknowledge' | 'escalate' } | undefined {
  const m = /^\s*(\d{1,4})\s*([ae])\s*$/i.exec(body);
  const [, code, letter] = m ?? [];
  if (!code || !letter) return undefined;
  return { code: Number(code), action: letter.toLowerCase() === 'a' ? 'acknowledge' : 'escalate' };
}

/** A keypad digit on a page's call: 4 acknowledges, 5 escalates. */
export function parseKeypress(digits: string | undefined): 'acknowledge' | 'escalate' | undefined {
  if (digits === '4') return 'acknowledge';
  if (digits === '5') return 'escalate';
  return undefined;
}

/** The dedupe key of a page's notification by rule `ruleIndex`: one scheduled action per page and rule. */
export const notificationKey = (pageId: string, ruleIndex: number): string => `notify:${pageId}:${ruleIndex}`;

/** What every notification key of a page starts with (to cancel the rest of its rules). */
export const notificationKeyPrefix = (pageId: string): string => `notify:${pageId}:`;
