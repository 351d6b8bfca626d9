/** The kinds and states of a future action (a `scheduled_actions` row). */

/** Intake: post (or bring up to date) a report's triage message, nudge the on-call, post a report or source message in an incident's channel. */
const INTAKE_ACTION_KINDS = ['triage-post', 'triage-nudge', 'incident-origin'] as const;

/** Every kind of future action; `src/jobs` maps each to its handler and job options. */
export const ACTION_KINDS = [
  'set-up-channel',
  'escalation-step',
  'handoff-notice',
  'update-reminder',
  'clock-reminder',
  'clock-miss',
  ...INTAKE_ACTION_KINDS,
  /** A weekly or monthly digest in the reports channel. */
  'digest',
  /** Wellbeing: has a person spent too long on sensitive incidents today (a private nudge to hand over)? */
  'exposure-check',
  /** Wellbeing: a hub's coverage ends in 30 minutes; its commanders are offered a hand-over. */
  'coverage-end-offer',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** pending -> done | cancelled | skipped */
export type ActionStatus = 'pending' | 'done' | 'cancelled' | 'skipped';

/**
 * A run this late, or after a recorded failure, may be a second delivery of the job: an earlier
 * run may have reached Slack and died (or timed out) before its row was marked done. Its
 * messages look for their tagged copy before posting (`postOnce` with `mayExist`). A job on time
 * with no failure behind it posts without the look-up, which costs a Slack history call.
 */
export function mayBeRedelivered(action: { attempts: number; dueAt: Date }, now: Date, lateAfterMs = 2_000): boolean {
  return action.attempts > 0 || now.getTime() - action.dueAt.getTime() > lateAfterMs;
}
