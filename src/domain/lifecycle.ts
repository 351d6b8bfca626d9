/**
 * The incident lifecycle: which status changes are allowed, and what each one implies.
 *
 * - investigating → mitigated → resolved → closed
 * - investigating → resolved (fixed without a mitigation phase)
 * - investigating or mitigated → cancelled (declared by mistake)
 * - resolved → investigating (reopened: the harm is back)
 *
 * Closed and cancelled are terminal: a closed incident has had its review, so a recurrence is
 * a new incident that can link back to it.
 */

/** Every status, in lifecycle order. */
export const INCIDENT_STATUSES = ['investigating', 'mitigated', 'resolved', 'closed', 'cancelled'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Statuses in which people are still working the incident (paged, reminded, listed as open). */
export const OPEN_STATUSES = ['investigating', 'mitigated'] as const satisfies readonly IncidentStatus[];

/** How a status is written for people. */
export const STATUS_LABEL: Readonly<Record<IncidentStatus, string>> = {
  investigating: 'Investigating',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

/** The timestamp columns of `incidents` that the lifecycle stamps. */
export type LifecycleTimestamp = 'mitigatedAt' | 'resolvedAt' | 'closedAt';

/** What a person does to move an incident from one status to another. */
export type TransitionKind = 'mitigate' | 'resolve' | 'close' | 'cancel' | 'reopen';

/** What an allowed transition implies, as data for the service that performs it. */
export interface TransitionEffects {
  readonly kind: TransitionKind;
  readonly from: IncidentStatus;
  readonly to: IncidentStatus;
  /** The column stamped with the time of the change if it is still empty (see {@link applyTimestamps}). */
  readonly sets: LifecycleTimestamp | null;
  /** Columns that stop being true: reopening empties `resolvedAt`. */
  readonly clears: readonly LifecycleTimestamp[];
  /** Cancel pending escalation steps and pages. */
  readonly stopsPaging: boolean;
  /** Cancel pending status-update reminders. */
  readonly stopsReminders: boolean;
  /** Plan status-update reminders again (the incident is open again). */
  readonly restartsReminders: boolean;
}

/** Why a transition was refused. `same` lets a service treat a repeated click as done. */
export type TransitionRefusal = 'same' | 'terminal' | 'not_allowed';

export type TransitionResult =
  | { readonly ok: true; readonly effects: TransitionEffects }
  | { readonly ok: false; readonly code: TransitionRefusal; readonly reason: string };

interface Rule {
  readonly kind: TransitionKind;
  readonly sets: LifecycleTimestamp | null;
  readonly clears?: readonly LifecycleTimestamp[];
}

/**
 * The allowed transitions. Cancelling stamps `closedAt` because it ends the record; `status`
 * tells a cancelled incident from a closed one.
 */
const RULES: Readonly<Record<IncidentStatus, Partial<Record<IncidentStatus, Rule>>>> = {
  investigating: {
    mitigated: { kind: 'mitigate', sets: 'mitigatedAt' },
    resolved: { kind: 'resolve', sets: 'resolvedAt' },
    cancelled: { kind: 'cancel', sets: 'closedAt' },
  },
  mitigated: {
    resolved: { kind: 'resolve', sets: 'resolvedAt' },
    cancelled: { kind: 'cancel', sets: 'closedAt' },
  },
  resolved: {
    investigating: { kind: 'reopen', sets: null, clears: ['resolvedAt'] },
    closed: { kind: 'close', sets: 'closedAt' },
  },
  closed: {},
  cancelled: {},
};

/** The kind of change a move to `target` is (from wherever it is allowed): the one audit name for it, ok or refused. */
export function transitionKindTo(target: IncidentStatus): TransitionKind {
  return target === 'investigating'
    ? 'reopen'
    : target === 'mitigated'
      ? 'mitigate'
      : target === 'resolved'
        ? 'resolve'
        : target === 'closed'
          ? 'close'
          : 'cancel';
}

export function isIncidentStatus(value: unknown): value is IncidentStatus {
  return typeof value === 'string' && (INCIDENT_STATUSES as readonly string[]).includes(value);
}

/** Whether people are still working the incident. */
export function isOpen(status: IncidentStatus): boolean {
  return (OPEN_STATUSES as readonly IncidentStatus[]).includes(status);
}

/** Whether no transition leads out of `status`. */
export function isTerminal(status: IncidentStatus): boolean {
  return nextStatuses(status).length === 0;
}

/** The statuses `current` may move to, in lifecycle order (for buttons and help text). */
export function nextStatuses(current: IncidentStatus): readonly IncidentStatus[] {
  return INCIDENT_STATUSES.filter((target) => RULES[current][target] !== undefined);
}

/** Whether `current` may become `target`, and if so what that implies. */
export function transition(current: IncidentStatus, target: IncidentStatus): TransitionResult {
  const rule = RULES[current][target];
  if (rule) {
    const stops = !isOpen(target);
    return {
      ok: true,
      effects: {
        kind: rule.kind,
        from: current,
        to: target,
        sets: rule.sets,
        clears: rule.clears ?? [],
        stopsPaging: stops,
        stopsReminders: stops,
        restartsReminders: rule.kind === 'reopen',
      },
    };
  }
  if (current === target) {
    return { ok: false, code: 'same', reason: `This incident is already ${STATUS_LABEL[current].toLowerCase()}.` };
  }
  return { ok: false, code: isTerminal(current) ? 'terminal' : 'not_allowed', reason: refusalReason(current, target) };
}

function refusalReason(current: IncidentStatus, target: IncidentStatus): string {
  if (current === 'closed') {
    return target === 'cancelled'
      ? 'A closed incident cannot be cancelled; it is already over.'
      : 'A closed incident cannot be reopened; declare a new one.';
  }
  if (current === 'cancelled') {
    return target === 'closed'
      ? 'A cancelled incident is already over; there is nothing to close.'
      : 'A cancelled incident cannot be reopened; declare a new one.';
  }
  if (target === 'closed') return 'Resolve the incident before closing it.';
  if (current === 'mitigated' && target === 'investigating') {
    return 'A mitigated incident cannot go back to investigating; post an update saying what changed.';
  }
  if (current === 'resolved' && target === 'mitigated') {
    return 'A resolved incident can only be reopened (back to investigating) or closed.';
  }
  if (current === 'resolved' && target === 'cancelled') {
    return 'A resolved incident cannot be cancelled; close it instead.';
  }
  return `An incident cannot go from ${STATUS_LABEL[current].toLowerCase()} to ${STATUS_LABEL[target].toLowerCase()}.`;
}

/** The lifecycle columns of an incident. */
export type LifecycleTimestamps = Readonly<Record<LifecycleTimestamp, Date | null>>;

/**
 * The lifecycle columns after a transition made at `at`. A column already set keeps its value,
 * so time to mitigate measures the first mitigation (a resolution without one counts as one, kept
 * across a reopen); reopening empties `resolvedAt`, so time to resolve measures the final resolution.
 */
export function applyTimestamps(current: LifecycleTimestamps, effects: TransitionEffects, at: Date): LifecycleTimestamps {
  const next: Record<LifecycleTimestamp, Date | null> = { ...current };
  // Resolved without a separate mitigation, the harm stopped at the resolution: a reopen keeps
  // that as the first mitigation, so a later mitigate does not overwrite time to mitigate.
  if (effects.clears.includes('resolvedAt') && next.mitigatedAt === null) next.mitigatedAt = current.resolvedAt;
  for (const column of effects.clears) next[column] = null;
  if (effects.sets && next[effects.sets] === null) next[effects.sets] = at;
  return next;
}
