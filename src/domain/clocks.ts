/**
 * Response clocks: what an incident must answer, to whom, by when. Pure maths over instants;
 * kinds come from the config's `deadlines:` catalog, versioned by effective date.
 */
import type { EscalationTarget } from './escalation-target.js';

/** running -> paused -> running; running -> met | missed (a missed clock may still be answered: late). */
export type ClockState = 'running' | 'paused' | 'met' | 'missed';

/** What started the clock: receipt of an order, the declaration, or an instant someone typed. */
export type ClockStart = 'received' | 'declared' | 'typed';

/** One version of a kind of clock (`deadlines[]`); entries sharing an id are versions by date. */
export interface DeadlineKind {
  readonly id: string;
  readonly name: string;
  readonly withinMinutes: number;
  /** Minutes before the deadline to remind; null: {@link defaultRemindBefore}. */
  readonly remindBeforeMinutes: readonly number[] | null;
  /** Told and paged when the clock is missed; empty: the category's leads (its `invite`). */
  readonly escalateTo: readonly EscalationTarget[];
  readonly source: string;
  /** What must be done, shown with the clock. */
  readonly task: string;
  /** The first UTC instant this version is in force (the date's start in UTC); null: always. */
  readonly effectiveFrom: Date | null;
  /** True when the law gives no hours and `withinMinutes` is the organisation's own target. */
  readonly internalTarget: boolean;
}

/** A clock as stored with its incident. */
export interface IncidentClock {
  readonly id: string;
  readonly incidentId: string;
  /** How people name it in commands: the kind id, or a label typed with `/incident deadline`. */
  readonly label: string;
  readonly kindId: string | null;
  readonly name: string;
  readonly source: string;
  readonly task: string;
  readonly startKind: ClockStart;
  readonly startedAt: Date;
  readonly dueAt: Date;
  /** Null: the incident's commander. */
  readonly ownerId: string | null;
  readonly state: ClockState;
  readonly pausedAt: Date | null;
  readonly pauseReason: string | null;
  /** Bumped at every move, pause, resume, extension or answer: a reminder planned for an older version does nothing. */
  readonly version: number;
  readonly remindBeforeMinutes: readonly number[];
  readonly escalateTo: readonly EscalationTarget[];
  readonly respondedAt: Date | null;
  readonly respondedBy: string | null;
  readonly responseNote: string | null;
  /** The evidence link given with the response, kept apart from the note. */
  readonly responseEvidence: string | null;
  readonly missedAt: Date | null;
}

const MINUTE = 60_000;

/** The version of kind `id` in force at `at`: the latest whose effective date is not after it. */
export function kindInForce<K extends Pick<DeadlineKind, 'id' | 'effectiveFrom'>>(
  kinds: readonly K[],
  id: string,
  at: Date,
): K | undefined {
  let best: K | undefined;
  for (const kind of kinds) {
    if (kind.id !== id) continue;
    const from = kind.effectiveFrom?.getTime() ?? Number.NEGATIVE_INFINITY;
    if (from > at.getTime()) continue;
    if (!best || from > (best.effectiveFrom?.getTime() ?? Number.NEGATIVE_INFINITY)) best = kind;
  }
  return best;
}

/**
 * Whether a clock is a statutory one: started from a configured kind that is not the
 * organisation's own target (`internal_target`). A clock typed by hand names no law, so it is not.
 */
export function isStatutoryClock(
  clock: Pick<IncidentClock, 'kindId' | 'startedAt'>,
  kinds: readonly Pick<DeadlineKind, 'id' | 'effectiveFrom' | 'internalTarget'>[],
): boolean {
  const kind = clock.kindId ? kindInForce(kinds, clock.kindId, clock.startedAt) : undefined;
  return kind !== undefined && !kind.internalTarget;
}

/** The due instant of a kind's clock that starts at `startedAt`. */
export function dueAtFor(kind: Pick<DeadlineKind, 'withinMinutes'>, startedAt: Date): Date {
  return new Date(startedAt.getTime() + kind.withinMinutes * MINUTE);
}

/**
 * The default reminders: at half the time, 2 h before and 30 min before, those that fall
 * strictly inside the clock's span; soonest-before last, no duplicates.
 */
export function defaultRemindBefore(withinMinutes: number): number[] {
  const candidates = [withinMinutes / 2, 120, 30].filter((m) => m > 0 && m < withinMinutes);
  return [...new Set(candidates)].sort((a, b) => b - a);
}

/** The reminders a clock of this span gets, from the kind's list or the default rule. */
export function remindBeforeFor(withinMinutes: number, given: readonly number[] | null): number[] {
  const list = given ?? defaultRemindBefore(withinMinutes);
  return [...new Set(list.filter((m) => m > 0 && m < withinMinutes))].sort((a, b) => b - a);
}

/** What a running clock has planned: a reminder per point still ahead of `now`, then the miss at the due instant. */
export interface ClockPlan {
  readonly reminders: ReadonlyArray<{ readonly at: Date; readonly beforeMinutes: number }>;
  readonly missAt: Date;
}

export function planClock(clock: Pick<IncidentClock, 'dueAt' | 'remindBeforeMinutes'>, now: Date): ClockPlan {
  const due = clock.dueAt.getTime();
  const reminders = clock.remindBeforeMinutes
    .map((beforeMinutes) => ({ at: new Date(due - beforeMinutes * MINUTE), beforeMinutes }))
    .filter((r) => r.at.getTime() > now.getTime());
  return { reminders, missAt: clock.dueAt };
}

/** Time left on a clock at `now` (a paused clock's time stands still at its pause); negative when overdue. */
export function timeLeftMs(clock: Pick<IncidentClock, 'dueAt' | 'pausedAt' | 'state'>, now: Date): number {
  const at = clock.state === 'paused' && clock.pausedAt ? clock.pausedAt : now;
  return clock.dueAt.getTime() - at.getTime();
}

/** Resuming a paused clock gives back the time it had left when paused: the due instant moves by the pause. */
export function resumedDueAt(clock: Pick<IncidentClock, 'dueAt' | 'pausedAt'>, now: Date): Date {
  const pausedFor = clock.pausedAt ? Math.max(0, now.getTime() - clock.pausedAt.getTime()) : 0;
  return new Date(clock.dueAt.getTime() + pausedFor);
}

/** An extension ("such longer period as the Commissioner allows") moves the due instant later. */
export function extendedDueAt(clock: Pick<IncidentClock, 'dueAt'>, byMinutes: number): Date {
  return new Date(clock.dueAt.getTime() + byMinutes * MINUTE);
}

/** Met when answered by the due instant; otherwise missed by how much. */
export function answerOutcome(clock: Pick<IncidentClock, 'dueAt'>, at: Date): { met: boolean; lateMs: number } {
  const lateMs = at.getTime() - clock.dueAt.getTime();
  return { met: lateMs <= 0, lateMs: Math.max(0, lateMs) };
}

/** A clock still counting (or paused): shown on the card, reminded, able to be missed. */
export function isOpenClock(clock: Pick<IncidentClock, 'state'>): boolean {
  return clock.state === 'running' || clock.state === 'paused';
}

/**
 * The deadline an incident faces next: its soonest running clock, or an unanswered missed one
 * (overdue, so it sorts first). Paused clocks stand still and are not next.
 */
export function nextDeadline<T extends Pick<IncidentClock, 'state' | 'dueAt' | 'respondedAt'>>(clocks: readonly T[]): T | undefined {
  return clocks
    .filter((c) => c.state === 'running' || (c.state === 'missed' && !c.respondedAt))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
}

/** A label people can type: lowercase letters, digits and dashes. */
export function clockLabelOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

/** The label of a clock typed without one. */
export const MAIN_CLOCK_LABEL = 'response';
