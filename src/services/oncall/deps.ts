import type { KnownBlock, View } from '@slack/types';
import type { MeridianConfig } from '../../config-file/types.js';
import type { Database } from '../../db/client.js';
import type { ActionLimiter } from '../../rate-limiters/action-limiter.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { RelativeWhen, WhenInput } from '../../domain/when-input.js';
import type { Clock } from '../types.js';

/** What the on-call use cases need; each use case takes this, or a part of it. */
export interface OncallDeps {
  db: Database;
  slack: SlackGateway;
  scheduler: ActionScheduler;
  meridian: MeridianConfig;
  logger: Logger;
  clock: Clock;
  /** Overrides per person an hour (admins are not counted). */
  limiter: Pick<ActionLimiter, 'consume' | 'refund'>;
}

/** A `/oncall` request, read from the text at the Slack edge (`src/slack/inputs/oncall-command.ts`). */
export type OncallRequest =
  | { readonly kind: 'now' }
  | { readonly kind: 'next'; readonly hours: number }
  | { readonly kind: 'gaps' }
  /** `asked` is the time as typed, echoed in the answer. */
  | { readonly kind: 'at'; readonly when: WhenInput | RelativeWhen; readonly asked: string }
  | { readonly kind: 'load' }
  | { readonly kind: 'override' }
  | { readonly kind: 'help'; readonly unknown?: string };

/** A submitted override, read and checked at the Slack edge (`src/slack/inputs/oncall-override-view.ts`). */
export interface OverrideForm {
  readonly scheduleId: string;
  readonly userId: string;
  readonly from: Date;
  readonly to: Date;
  readonly reason: string | null;
}

/** What a person gets back from `/oncall ...`: an ephemeral message, or a modal to open. */
export type OncallReply = { kind: 'message'; text: string; blocks?: KnownBlock[] } | { kind: 'modal'; view: View };

/** The on-call use cases the Slack edge and the job worker call. */
export interface OncallServices {
  /** `/oncall <text>` typed by `userId`, read at the edge. */
  command(input: { userId: string; request: OncallRequest }): Promise<OncallReply>;
  /** The override modal submitted and read (once per `submissionKey`, `view:<id>`); throws InvalidInput by block id when it cannot be saved. */
  submitOverride(input: { userId: string; form: OverrideForm; submissionKey: string }): Promise<void>;
  /** The Undo button on a swap DM (`dm`: that message, updated once undone), clicked by `userId`; returns the words for them. */
  undoOverride(input: { userId: string; overrideId: string; dm?: { channelId: string; ts: string } }): Promise<string>;
  /** Plans `handoff-notice` and `user-group-sync` actions for the coming hours (idempotent; run with the reconciler). Logs failures, never throws. */
  planHandoffNotices(): Promise<void>;
  /** The `handoff-notice` action handler. */
  notifyHandoff(ctx: ActionContext<'handoff-notice'>): Promise<ActionOutcome>;
}
