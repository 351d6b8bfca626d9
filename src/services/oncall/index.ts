import type { MeridianConfig } from '../../config-file/types.js';
import type { Database } from '../../db/client.js';
import type { ScheduledAction } from '../../db/repos/scheduled-actions.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import type { ActionOutcome } from '../../jobs/run-action.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';
import { oncallCommand } from './commands.js';
import { notifyHandoff, planHandoffNotices } from './handoff-notices.js';
import { submitOverride } from './override.js';

export interface OncallDeps {
  db: Database;
  slack: SlackGateway;
  scheduler: ActionScheduler;
  meridian: MeridianConfig;
  logger: Logger;
  clock: Clock;
}

/** What a person gets back from `/oncall ...`: an ephemeral message, or a modal to open. */
export type OncallReply = { kind: 'message'; text: string; blocks?: unknown[] } | { kind: 'modal'; view: Record<string, unknown> };

/** The on-call use cases the Slack edge and the job worker call. */
export interface OncallServices {
  /** `/oncall <text>` typed by `userId`. */
  command(input: { userId: string; text: string }): Promise<OncallReply>;
  /** The override modal submitted; returns inline errors by block id, or null when saved. */
  submitOverride(input: { userId: string; values: unknown }): Promise<Record<string, string> | null>;
  /** Plans `handoff-notice` actions for the coming hours (idempotent; run with the reconciler). Logs failures, never throws. */
  planHandoffNotices(): Promise<void>;
  /** The `handoff-notice` action handler. */
  notifyHandoff(action: ScheduledAction): Promise<ActionOutcome>;
}

/** Binds the on-call use cases to their dependencies. */
export function createOncallServices(deps: OncallDeps): OncallServices {
  // The workspace id scopes which open incidents a handoff DM lists; asked once, on first need.
  let teamId: Promise<string> | undefined;
  const team = (): Promise<string> => {
    teamId ??= deps.slack.authTest().then(
      (identity) => identity.teamId,
      (err: unknown) => {
        teamId = undefined;
        throw err;
      },
    );
    return teamId;
  };
  // Never throws: it runs before the reconciler, which must run even when planning fails.
  const plan = async (): Promise<void> => {
    try {
      await planHandoffNotices(deps);
    } catch (err) {
      deps.logger.error({ err }, 'planning handoff notices failed; the next run will try again');
    }
  };
  return {
    command: (input) => oncallCommand(deps, input),
    submitOverride: (input) => submitOverride({ ...deps, replan: plan }, input),
    planHandoffNotices: plan,
    notifyHandoff: (action) => notifyHandoff({ ...deps, teamId: team }, action),
  };
}
