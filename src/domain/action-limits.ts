/**
 * Limits on the actions that cost people attention or Slack calls: each declaration opens a
 * channel and pages people, so one person (or one workspace) may do only so many an hour.
 */

/** The actions with a limit, and the words a refusal uses for them. */
export const LIMITED_ACTIONS = {
  declare: { did: 'declared', thing: 'incidents' },
  escalate: { did: 'escalated', thing: 'pages' },
  review: { did: 'posted', thing: 'reviews' },
  override: { did: 'saved', thing: 'overrides' },
} as const;

export type LimitedAction = keyof typeof LIMITED_ACTIONS;

/** How many per hour (a window that opens with the first one); `perTeamPerHour` null when only the person is counted. */
export interface ActionLimit {
  readonly perUserPerHour: number;
  readonly perTeamPerHour: number | null;
}

export type ActionLimits = Readonly<Record<LimitedAction, ActionLimit>>;

/** Used when the config file has no `limits:`. */
export const DEFAULT_ACTION_LIMITS: ActionLimits = {
  declare: { perUserPerHour: 10, perTeamPerHour: 60 },
  escalate: { perUserPerHour: 20, perTeamPerHour: null },
  review: { perUserPerHour: 10, perTeamPerHour: null },
  override: { perUserPerHour: 20, perTeamPerHour: null },
};

/** A limit reached: whose count, the limit, and how long until a slot frees up. */
export interface LimitReached {
  readonly action: LimitedAction;
  readonly scope: 'user' | 'team';
  readonly limit: number;
  readonly retryAfterMs: number;
}

/** "You have declared 10 incidents in the last hour; the limit is 10. ..." */
export function limitReachedMessage(reached: LimitReached): string {
  const { did, thing } = LIMITED_ACTIONS[reached.action];
  const minutes = Math.max(1, Math.ceil(reached.retryAfterMs / 60_000));
  const wait = `wait ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const who = reached.scope === 'user' ? 'You have' : 'This workspace has';
  return `${who} ${did} ${reached.limit} ${thing} in the last hour; the limit is ${reached.limit}. An admin can ${reached.action === 'declare' ? 'declare' : 'do this'} more, or ${wait}.`;
}
