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
