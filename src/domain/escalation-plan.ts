/**
 * The plan of an escalation policy: which step comes when. Steps are numbered from 0 across
 * rounds, so step number `n` is step `n % steps.length` of round `n / steps.length`; a policy
 * with `repeat: 2` runs its list three times in all.
 */
import { minutesToMs } from './local-time.js';

/** One step: notify these targets, then wait this long for an acknowledgement. */
export interface EscalationStep<T> {
  readonly targets: readonly T[];
  /** Fractional minutes are allowed. */
  readonly waitMinutes: number;
}

/** An ordered list of steps, run once and then `repeat` more times. */
export interface EscalationPolicy<T> {
  readonly steps: readonly EscalationStep<T>[];
  readonly repeat: number;
}

/** Step number `stepNumber` of a policy, placed in its round. */
export interface PlannedStep<T> {
  readonly stepNumber: number;
  /** 0 for the first run of the list, 1 for the first repeat, ... */
  readonly round: number;
  readonly stepIndex: number;
  readonly targets: readonly T[];
  readonly waitMs: number;
}

/** Step number `stepNumber` (from 0), or 'exhausted' once the list and its repeats are done. */
export function stepAt<T>(policy: EscalationPolicy<T>, stepNumber: number): PlannedStep<T> | 'exhausted' {
  const count = policy.steps.length;
  if (!Number.isInteger(stepNumber) || stepNumber < 0) {
    throw new RangeError(`step number must be a non-negative integer, got ${stepNumber}`);
  }
  if (count === 0) return 'exhausted';
  const round = Math.floor(stepNumber / count);
  if (round > policy.repeat) return 'exhausted';
  const stepIndex = stepNumber % count;
  const step = policy.steps[stepIndex] as EscalationStep<T>;
  return { stepNumber, round, stepIndex, targets: step.targets, waitMs: minutesToMs(step.waitMinutes) };
}

/** The step after `stepNumber`, or 'exhausted'. */
export function nextStep<T>(policy: EscalationPolicy<T>, stepNumber: number): PlannedStep<T> | 'exhausted' {
  return stepAt(policy, stepNumber + 1);
}

/** Total number of steps the policy runs, repeats included. */
export function totalSteps(policy: EscalationPolicy<unknown>): number {
  return policy.steps.length * (policy.repeat + 1);
}

/** What to do once the next step is due. */
export type NextEscalationAction =
  | { readonly kind: 'step'; readonly stepNumber: number }
  /** Every step and repeat has run unacknowledged: alert the feed channel. */
  | { readonly kind: 'unacknowledged' };

/** When the next escalation action is due, and what it is. */
export interface EscalationFollowUp {
  readonly dueAt: Date;
  readonly action: NextEscalationAction;
}

/**
 * After step `stepNumber` has notified its targets (resolving to `resolvedUserCount` people):
 * when to act next. A step that reached nobody does not wait out its delay, so the next action
 * is due `now`; otherwise it is due after the step's wait. After the last step of the last
 * round the next action is the feed alert.
 */
export function planAfterResolution<T>(
  policy: EscalationPolicy<T>,
  stepNumber: number,
  resolvedUserCount: number,
  now: Date,
): EscalationFollowUp {
  const current = stepAt(policy, stepNumber);
  if (current === 'exhausted') {
    return { dueAt: now, action: { kind: 'unacknowledged' } };
  }
  const waitMs = resolvedUserCount > 0 ? current.waitMs : 0;
  const next = nextStep(policy, stepNumber);
  return {
    dueAt: new Date(now.getTime() + waitMs),
    action: next === 'exhausted' ? { kind: 'unacknowledged' } : { kind: 'step', stepNumber: next.stepNumber },
  };
}
