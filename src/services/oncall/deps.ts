import type { MeridianConfig } from '../../config-file/types.js';
import type { Database } from '../../db/client.js';
import type { ScheduledAction } from '../../db/repos/scheduled-actions.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import type { ActionOutcome } from '../../jobs/run-action.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';

/** What the on-call use cases need; each use case takes this, or a part of it. */
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
