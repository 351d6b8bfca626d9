/** The kinds and states of a future action (a `scheduled_actions` row). */

/** Every kind of future action; `src/jobs` maps each to its handler and job options. */
export const ACTION_KINDS = ['set-up-channel', 'escalation-step', 'handoff-notice', 'update-reminder'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** pending -> done | cancelled | skipped */
export type ActionStatus = 'pending' | 'done' | 'cancelled' | 'skipped';
