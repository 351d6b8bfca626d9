/** The kinds and states of a future action (a `scheduled_actions` row). */

export { type ActionKind, isActionKind } from './action-catalog.js';

/** pending -> done | cancelled | skipped; failed when its data can never be read (a bad row, kept for people to see). */
export type ActionStatus = 'pending' | 'done' | 'cancelled' | 'skipped' | 'failed';

/**
 * A run this late, or after a recorded failure, may be a second delivery of the job: an earlier
 * run may have reached Slack and died (or timed out) before its row was marked done. Its
 * messages look for their tagged copy before posting (`postOnce` with `mayExist`). A job on time
 * with no failure behind it posts without the look-up, which costs a Slack history call.
 */
export function mayBeRedelivered(action: { attempts: number; dueAt: Date }, now: Date, lateAfterMs = 2_000): boolean {
  return action.attempts > 0 || now.getTime() - action.dueAt.getTime() > lateAfterMs;
}
