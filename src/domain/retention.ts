/**
 * Data governance (issue 24): how long a closed incident keeps its text, the legal holds that
 * stop a purge (set by a person, or owed to a preservation duty that a response clock of a
 * configured kind starts), and who may hold or redact. Pure: no I/O, instants passed in.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** A preservation duty: a clock of kind `deadlineId` starts a hold of `days` from the clock's start (`retention.holds[]`). */
export interface HoldDuty {
  readonly deadlineId: string;
  readonly days: number;
  /** The law that imposes it, e.g. "Regulation (EU) 2021/784, Art. 6". */
  readonly source: string;
}

/** `retention:` as the code sees it; unset in the config: keep everything. */
export interface RetentionConfig {
  /** Days a closed incident keeps its text; null: forever (unless its category says otherwise). */
  readonly defaultDays: number | null;
  /** Per category id, overriding `defaultDays`. */
  readonly categories: Readonly<Record<string, number>>;
  readonly holds: readonly HoldDuty[];
  /** Besides the admins, who may redact: user ids (`U…`) and Slack user group ids (`S…`, their members). */
  readonly mayRedact: readonly string[];
  /** Besides the admins, who may set and release legal holds (Legal): user and user group ids. */
  readonly mayHold: readonly string[];
}

/** A legal hold as people see it: set by a person (`manual`) or owed to a duty (`duty`). */
export interface LegalHold {
  readonly kind: 'manual' | 'duty';
  /** The person's reason, or the law's name for a duty. */
  readonly reason: string;
  /** Who set it; null for a duty. */
  readonly heldBy: string | null;
  readonly since: Date;
  /** When it ends by itself; null: until released. */
  readonly until: Date | null;
}

/** A hold a person set, as stored. */
export interface ManualHoldRow {
  readonly reason: string;
  readonly heldBy: string;
  readonly heldAt: Date;
  readonly until: Date | null;
  readonly releasedAt: Date | null;
}

/** What a clock contributes to duty holds: its kind, when it started and when it was answered. */
export interface HoldClock {
  readonly id?: string;
  readonly kindId: string | null;
  readonly startedAt: Date;
  readonly respondedAt?: Date | null;
}

/** A duty hold as stored when its clock started (it outlives the clock: see {@link dutyHoldUntil}). */
export interface StoredDutyHold {
  readonly clockId: string;
  readonly source: string;
  readonly since: Date;
  readonly until: Date;
}

/**
 * When a duty hold ends: `days` after the later of the clock's start and the moment the duty's
 * act was done (the clock answered, or cleared). TCO Art. 6 preserves removed content 6 months
 * from the removal; §2258A(h) a year from the report. Clearing a clock does not end the duty.
 */
export function dutyHoldUntil(duty: HoldDuty, startedAt: Date, doneAt?: Date | null): Date {
  const from = doneAt && doneAt > startedAt ? doneAt : startedAt;
  return new Date(from.getTime() + duty.days * DAY_MS);
}

/** The text left where purged text was. */
export const PURGED_TEXT = '[removed under the retention policy]';

/** The holds in force on an incident at `now`: unreleased manual holds not past their end, and duties still running. */
export function activeHolds(
  manual: readonly ManualHoldRow[],
  clocks: readonly HoldClock[],
  duties: readonly HoldDuty[],
  now: Date,
  stored: readonly StoredDutyHold[] = [],
): LegalHold[] {
  const holds: LegalHold[] = [];
  for (const row of manual) {
    if (row.releasedAt || (row.until && row.until <= now)) continue;
    holds.push({ kind: 'manual', reason: row.reason, heldBy: row.heldBy, since: row.heldAt, until: row.until });
  }
  const storedClocks = new Set(stored.map((d) => d.clockId));
  for (const row of stored)
    if (row.until > now) holds.push({ kind: 'duty', reason: row.source, heldBy: null, since: row.since, until: row.until });
  // Clocks started before duty holds were stored (or whose row is missing) still hold, from the clock itself.
  for (const clock of clocks) {
    const duty = duties.find((d) => d.deadlineId === clock.kindId);
    if (!duty || (clock.id && storedClocks.has(clock.id))) continue;
    const until = dutyHoldUntil(duty, clock.startedAt, clock.respondedAt);
    if (until > now) holds.push({ kind: 'duty', reason: duty.source, heldBy: null, since: clock.startedAt, until });
  }
  return holds;
}

/** Days a closed incident of `category` keeps its text; null: forever. */
export function retentionDays(config: RetentionConfig | undefined, category: string): number | null {
  if (!config) return null;
  return config.categories[category] ?? config.defaultDays;
}

/** When a closed incident's text may be purged; null: never. */
export function purgeDueAt(config: RetentionConfig | undefined, incident: { category: string; closedAt: Date | null }): Date | null {
  const days = retentionDays(config, incident.category);
  if (days === null || !incident.closedAt) return null;
  return new Date(incident.closedAt.getTime() + days * DAY_MS);
}

/** The daily purge runs at 03:00 UTC: the next such instant strictly after `after`. */
export function nextPurgeRun(after: Date): Date {
  const run = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), 3, 0, 0));
  return run > after ? run : new Date(run.getTime() + DAY_MS);
}

/** `/incident hold <reason> [until YYYY-MM-DD]`, read: the reason and an optional end (UTC midnight of that date). */
export function parseHoldRequest(text: string): { reason: string; until: Date | null } | { error: string } {
  const match = /^(.*?)(?:(?:^|\s+)until\s+(\S+))?\s*$/is.exec(text.trim());
  const reason = (match?.[1] ?? '').trim();
  const date = match?.[2];
  if (reason === '') return { error: 'A legal hold needs a reason: `/incident hold <reason> [until YYYY-MM-DD]`.' };
  if (!date) return { reason, until: null };
  const until = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : new Date(Number.NaN);
  if (Number.isNaN(until.getTime()) || !until.toISOString().startsWith(date))
    return { error: `"${date}" is not a date: write \`until YYYY-MM-DD\`.` };
  return { reason, until };
}

/**
 * What a redaction replaces (issue 24): a timeline entry (a note, an update, a captured
 * message), one of the incident's own texts, or the body of an intake report merged into or
 * declared as the incident (its summary, reporter and links).
 */
export type RedactTarget =
  | { readonly kind: 'entry'; readonly id: string }
  | { readonly kind: IncidentTextField; readonly id: string }
  | { readonly kind: 'report'; readonly id: string };

/** The incident's own texts a person can redact. */
export const INCIDENT_TEXT_FIELDS = ['summary', 'resolution_summary', 'mitigation'] as const;
export type IncidentTextField = (typeof INCIDENT_TEXT_FIELDS)[number];

const TARGET_KINDS: ReadonlySet<string> = new Set(['entry', 'report', ...INCIDENT_TEXT_FIELDS]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A Redact button's value: `<kind>:<id>`; a bare id is a timeline entry (buttons from before other targets). */
export function redactTargetValue(target: RedactTarget): string {
  return target.kind === 'entry' ? target.id : `${target.kind}:${target.id}`;
}

/** Reads a Redact button's value (or the modal's metadata); undefined when it is not one. */
export function parseRedactTarget(value: string): RedactTarget | undefined {
  const [kind, id] = value.includes(':') ? value.split(':', 2) : ['entry', value];
  if (!kind || !id || !TARGET_KINDS.has(kind) || !UUID.test(id)) return undefined;
  return { kind, id } as RedactTarget;
}

/** Who redacted, as the placeholder names them: the name Slack shows, and the id that does not change. */
export interface Redactor {
  readonly userId: string;
  /** The display name (or real name) when Slack gave one. */
  readonly name?: string | undefined;
}

/**
 * What a redacted text becomes, everywhere Meridian keeps or shows it (timeline, card, review,
 * exports, SQL views). It is plain text, read outside Slack too (review documents, CSV exports, an
 * auditor's copy), so it names the person as Slack shows them, with their user id: names change
 * and repeat, the id is what the audit log (`actor_id`) carries. Never a `<@U…>` mention.
 */
export function redactedText(by: Redactor | 'slack', at: Date, reason: string): string {
  const day = at.toISOString().slice(0, 10);
  if (by === 'slack') return `[redacted on ${day}: ${reason}]`;
  const name = by.name?.replace(/[[\]\n\r]/g, ' ').trim();
  return `[redacted by ${name ? `${name} (${by.userId})` : by.userId} on ${day}: ${reason}]`;
}
