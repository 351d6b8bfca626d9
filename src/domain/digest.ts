/**
 * The weekly and monthly digest, computed from plain records of two periods (this one and the
 * one before), so every figure is checked by hand in a unit test. Private incidents are counted
 * in every figure but never named: their title is dropped here, before any renderer sees it.
 */
import { type DigestRun, formatLocalDate, localDaysOf, type Period } from './digest-period.js';
import { coveredMs, type ExposureInterval, roundHours } from './exposure.js';
import { localDateOf, localDateTimeOf, localWeekdayOf } from './local-time.js';
import type { OrderDigestFigures } from './order-digest.js';
import { isSeverity, SEVERITIES, type Severity } from './severity.js';

/** An incident as the digest reads it (a row of the `incident_metrics` view). */
export interface DigestIncidentRecord {
  readonly number: number;
  readonly title: string;
  readonly private: boolean;
  /** The current severity (shown on a line); counts use the declared and peak ones. */
  readonly severity: string;
  /** The severity at declaration; unset: `severity` (a record from before migration 0007). */
  readonly declaredSeverity?: string;
  /** The worst severity it reached; unset: `severity`. */
  readonly peakSeverity?: string;
  readonly category: string;
  readonly status: string;
  readonly declaredAt: Date;
  readonly resolvedAt: Date | null;
  readonly timeToAcknowledgeS: number | null;
  readonly timeToMitigateS: number | null;
  readonly timeToResolveS: number | null;
  readonly hub: string | null;
}

/** A page (a row of `page_log`). */
export interface DigestPageRecord {
  readonly userId: string;
  readonly pagedAt: Date;
  readonly hub: string | null;
  /** The hub's zone, or UTC when the person has none. */
  readonly timeZone: string;
}

/** A response clock whose due instant falls in the period (a row of `deadline_outcomes`). */
export interface DigestClockRecord {
  readonly kind: string;
  /** What a person reads for the kind ("EU TCO removal order"); unset: the kind id. */
  readonly name?: string;
  /** True: answered in time; false: missed; null: still running. */
  readonly met: boolean | null;
}

/** One person's time on sensitive incidents (role holding and activity, see `exposure.ts`); summed per hub, never shown per person. */
export interface DigestExposureRecord {
  /** The hub of the person's layer; null for someone on no layer. */
  readonly hub: string | null;
  readonly intervals: readonly ExposureInterval[];
}

export interface DigestPeriodRecords {
  readonly incidents: readonly DigestIncidentRecord[];
  readonly pages: readonly DigestPageRecord[];
  readonly clocks: readonly DigestClockRecord[];
  /** Unset: no exposure was read (it counts as none). */
  readonly exposure?: readonly DigestExposureRecord[];
}

/** What a digest covers: a planned run's period, or a typed range (`range`), and the period before. */
export interface DigestScope extends Pick<DigestRun, 'period' | 'previous' | 'timeZone'> {
  readonly cadence: DigestRun['cadence'] | 'range';
}

export interface DigestInput {
  readonly run: DigestScope;
  readonly current: DigestPeriodRecords;
  readonly before: DigestPeriodRecords;
  /** Incidents still open, declared more than a week before `now`. */
  readonly openOld: readonly DigestIncidentRecord[];
  readonly now: Date;
}

/** A figure this period and the one before. */
export interface Compared {
  readonly key: string;
  readonly now: number;
  readonly before: number;
}

/** Median and 90th percentile in whole seconds; null when nothing was measured. */
export interface Spread {
  readonly median: number | null;
  readonly p90: number | null;
  readonly count: number;
}

export interface ComparedSpread {
  readonly now: Spread;
  readonly before: Spread;
}

/** An incident as the digest may show it: a private one has no title (and is never linked). */
export interface DigestIncidentLine {
  readonly number: number;
  readonly title: string | null;
  readonly private: boolean;
  readonly severity: string;
  readonly status: string;
  /** How long it ran: to its resolution, or to the end of the period (or `now`) while open. */
  readonly durationS: number;
  readonly declaredAt: Date;
}

export interface Digest {
  readonly cadence: DigestScope['cadence'];
  readonly period: Period;
  readonly previous: Period;
  readonly timeZone: string;
  readonly total: Compared;
  /** Declarations by the severity they were declared at: lowering one later never moves it. */
  readonly bySeverity: readonly Compared[];
  /** The same incidents by the worst severity each reached. */
  readonly byPeakSeverity: readonly Compared[];
  readonly byCategory: readonly Compared[];
  readonly byHub: readonly Compared[];
  readonly times: { readonly acknowledge: ComparedSpread; readonly mitigate: ComparedSpread; readonly resolve: ComparedSpread };
  /** Per kind (`name` is what a person reads): met, missed, and still running at the end of the period. */
  readonly clocks: readonly {
    readonly kind: string;
    readonly name: string;
    readonly met: Compared;
    readonly missed: Compared;
    readonly running: Compared;
  }[];
  readonly pagesPerResponder: readonly { readonly userId: string; readonly pages: number; readonly outOfHours: number }[];
  readonly outOfHoursByHub: readonly Compared[];
  /** Hours (one decimal) spent on sensitive incidents, per hub: this period and the one before. */
  readonly exposureHoursByHub: readonly Compared[];
  readonly longest: readonly DigestIncidentLine[];
  readonly openOld: readonly DigestIncidentLine[];
  /** For the chart: incidents declared each local day, by the severity declared. */
  readonly perDay: readonly { readonly date: string; readonly bySeverity: Readonly<Record<Severity, number>> }[];
  /** For the chart: median time to acknowledge per hub this period, in seconds. */
  readonly acknowledgeByHub: readonly { readonly hub: string; readonly medianS: number }[];
  /** Follow-ups this period (see `follow-up-digest.ts`); unset: none were read. */
  readonly followUps?: { readonly total: FollowUpTeamFigures; readonly teams: readonly FollowUpTeamFigures[] };
  /** Authority orders received this period (see `order-digest.ts`); unset: none were. */
  readonly orders?: OrderDigestFigures;
  /**
   * Incidents declared after the period's end and before the digest was made (a weekly digest
   * typed on Monday afternoon: that Monday's), which it does not count; unset or 0: none.
   */
  readonly declaredSince?: number;
}

/** One team's follow-ups in a digest's period (computed in `follow-up-digest.ts`). */
export interface FollowUpTeamFigures {
  /** A team id of the config, or null for follow-ups of no team (and for the total). */
  readonly teamId: string | null;
  readonly opened: number;
  readonly done: number;
  /** Open past their due date at the end of the period (or now, for a period still running). */
  readonly overdue: number;
  /** Creation to done, of those done in the period, in whole seconds; null when none was. */
  readonly medianToDoneS: number | null;
}

/** Where a person with no hub is counted. */
export const NO_HUB = 'No hub';
const WORKDAY = { from: 9, to: 18 } as const;

/** Out of hours: outside 09:00-18:00 Monday to Friday in the hub's zone (as the `page_log` view says). */
export function isOutOfHours(at: Date, timeZone: string): boolean {
  const weekday = localWeekdayOf(at, timeZone);
  if (weekday === 'sat' || weekday === 'sun') return true;
  const { hour } = localDateTimeOf(at, timeZone);
  return hour < WORKDAY.from || hour >= WORKDAY.to;
}

/**
 * The `p` quantile (0..1) by linear interpolation between the closest ranks, as Postgres's
 * `percentile_cont`, rounded to whole seconds; null for no values.
 */
export function quantile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const value = (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low);
  return Math.round(value);
}

function spread(values: readonly (number | null)[]): Spread {
  const measured = values.filter((v): v is number => v !== null);
  return { median: quantile(measured, 0.5), p90: quantile(measured, 0.9), count: measured.length };
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** Keys of both periods, most this period first, then most before, then by name. */
function compare(now: Map<string, number>, before: Map<string, number>, fixedOrder?: readonly string[]): Compared[] {
  const keys = fixedOrder ?? [...new Set([...now.keys(), ...before.keys()])];
  const rows = keys.map((key) => ({ key, now: now.get(key) ?? 0, before: before.get(key) ?? 0 }));
  return fixedOrder ? rows : rows.sort((a, b) => b.now - a.now || b.before - a.before || a.key.localeCompare(b.key));
}

function line(incident: DigestIncidentRecord, end: Date): DigestIncidentLine {
  const until = incident.resolvedAt ?? end;
  return {
    number: incident.number,
    title: incident.private ? null : incident.title,
    private: incident.private,
    severity: incident.severity,
    status: incident.status,
    durationS: Math.max(0, Math.floor((until.getTime() - incident.declaredAt.getTime()) / 1000)),
    declaredAt: incident.declaredAt,
  };
}

const hubOf = (hub: string | null) => hub ?? NO_HUB;
const declaredOf = (incident: DigestIncidentRecord) => incident.declaredSeverity ?? incident.severity;
const peakOf = (incident: DigestIncidentRecord) => incident.peakSeverity ?? incident.severity;

/** Hours per hub inside `period`: each person's time merged first, so overlaps count once. */
function exposureHours(records: readonly DigestExposureRecord[] | undefined, period: Period): Map<string, number> {
  const ms = new Map<string, number>();
  for (const record of records ?? []) {
    const covered = coveredMs(record.intervals, { from: period.from.getTime(), to: period.to.getTime() });
    if (covered > 0) ms.set(hubOf(record.hub), (ms.get(hubOf(record.hub)) ?? 0) + covered);
  }
  return new Map([...ms].map(([hub, total]) => [hub, roundHours(total)]));
}

export function computeDigest(input: DigestInput): Digest {
  const { run, current, before, now } = input;
  const periodEnd = run.period.to < now ? run.period.to : now;
  const severityKeys = SEVERITIES as readonly string[];

  const clockKinds = [...new Set([...current.clocks, ...before.clocks].map((c) => c.kind))].sort();
  const clockCount = (clocks: readonly DigestClockRecord[], kind: string, met: boolean | null) =>
    clocks.filter((c) => c.kind === kind && c.met === met).length;
  const clockName = (kind: string) => [...current.clocks, ...before.clocks].find((c) => c.kind === kind && c.name)?.name ?? kind;

  const responders = new Map<string, { pages: number; outOfHours: number }>();
  for (const page of current.pages) {
    const entry = responders.get(page.userId) ?? { pages: 0, outOfHours: 0 };
    entry.pages += 1;
    if (isOutOfHours(page.pagedAt, page.timeZone)) entry.outOfHours += 1;
    responders.set(page.userId, entry);
  }
  const outOfHours = (pages: readonly DigestPageRecord[]) =>
    countBy(
      pages.filter((p) => isOutOfHours(p.pagedAt, p.timeZone)),
      (p) => hubOf(p.hub),
    );

  // Each incident's local day once (a year's days times a year's incidents grew with the square).
  const declaredPerDay = new Map<string, Record<Severity, number>>();
  for (const incident of current.incidents) {
    const date = formatLocalDate(localDateOf(incident.declaredAt, run.timeZone));
    const counts = declaredPerDay.get(date) ?? { sev1: 0, sev2: 0, sev3: 0, sev4: 0 };
    const declared = declaredOf(incident);
    counts[isSeverity(declared) ? declared : 'sev4'] += 1;
    declaredPerDay.set(date, counts);
  }
  const perDay = localDaysOf(run.period, run.timeZone).map((day) => {
    const date = formatLocalDate(day);
    return { date, bySeverity: { ...(declaredPerDay.get(date) ?? { sev1: 0, sev2: 0, sev3: 0, sev4: 0 }) } };
  });

  const hubs = [...new Set(current.incidents.map((i) => hubOf(i.hub)))].sort();
  const acknowledgeByHub = hubs.flatMap((hub) => {
    const median = quantile(
      current.incidents.filter((i) => hubOf(i.hub) === hub && i.timeToAcknowledgeS !== null).map((i) => i.timeToAcknowledgeS as number),
      0.5,
    );
    return median === null ? [] : [{ hub, medianS: median }];
  });

  return {
    cadence: run.cadence,
    period: run.period,
    previous: run.previous,
    timeZone: run.timeZone,
    total: { key: 'incidents', now: current.incidents.length, before: before.incidents.length },
    bySeverity: compare(countBy(current.incidents, declaredOf), countBy(before.incidents, declaredOf), severityKeys),
    byPeakSeverity: compare(countBy(current.incidents, peakOf), countBy(before.incidents, peakOf), severityKeys),
    byCategory: compare(
      countBy(current.incidents, (i) => i.category),
      countBy(before.incidents, (i) => i.category),
    ),
    byHub: compare(
      countBy(current.incidents, (i) => hubOf(i.hub)),
      countBy(before.incidents, (i) => hubOf(i.hub)),
    ),
    times: {
      acknowledge: {
        now: spread(current.incidents.map((i) => i.timeToAcknowledgeS)),
        before: spread(before.incidents.map((i) => i.timeToAcknowledgeS)),
      },
      mitigate: {
        now: spread(current.incidents.map((i) => i.timeToMitigateS)),
        before: spread(before.incidents.map((i) => i.timeToMitigateS)),
      },
      resolve: {
        now: spread(current.incidents.map((i) => i.timeToResolveS)),
        before: spread(before.incidents.map((i) => i.timeToResolveS)),
      },
    },
    clocks: clockKinds.map((kind) => ({
      kind,
      met: { key: 'met', now: clockCount(current.clocks, kind, true), before: clockCount(before.clocks, kind, true) },
      missed: { key: 'missed', now: clockCount(current.clocks, kind, false), before: clockCount(before.clocks, kind, false) },
      running: { key: 'running', now: clockCount(current.clocks, kind, null), before: clockCount(before.clocks, kind, null) },
      name: clockName(kind),
    })),
    pagesPerResponder: [...responders.entries()]
      .map(([userId, counts]) => ({ userId, ...counts }))
      .sort((a, b) => b.pages - a.pages || b.outOfHours - a.outOfHours || a.userId.localeCompare(b.userId)),
    outOfHoursByHub: compare(outOfHours(current.pages), outOfHours(before.pages)),
    exposureHoursByHub: compare(exposureHours(current.exposure, run.period), exposureHours(before.exposure, run.previous)),
    longest: current.incidents
      .map((i) => line(i, periodEnd))
      .sort((a, b) => b.durationS - a.durationS || a.number - b.number)
      .slice(0, 5),
    openOld: input.openOld.map((i) => line(i, now)),
    perDay,
    acknowledgeByHub,
  };
}
