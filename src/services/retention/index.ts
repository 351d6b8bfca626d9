/** Data governance (issue 24): legal holds and the daily retention purge. */
import type { Database } from '../../db/client.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import { withPlanning } from '../../jobs/plan.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import type { Logger } from '../../log.js';
import type { Clock } from '../types.js';
import { type HoldDeps, holdIncident, listHolds, releaseHold } from './holds.js';
import { readHeldTexts } from './held.js';
import { planRetentionPurge, runRetentionPurge } from './purge.js';
import { type AuditExportAnswer, exportAuditLog } from './audit-export.js';
import { entryOfMessage, followMessageDeletion, followMessageEdit, type RedactDeps, redactText } from './redact.js';
import type { RedactTarget } from '../../domain/retention.js';

export interface RetentionServices {
  /** `/incident hold <reason> [until YYYY-MM-DD]` in an incident channel. */
  hold(input: { userId: string; channelId: string; text: string }): Promise<string>;
  /** `/incident release-hold <reason>` in an incident channel. */
  releaseHold(input: { userId: string; channelId: string; text: string }): Promise<string>;
  /** `/incident held INC-n`: what the holds keep of redacted texts, for admins and the texts' owners. */
  readHeld(input: { userId: string; ref: string }): Promise<{ text: string }>;
  /** `/incident holds`: the incidents held now. */
  listHolds(input: { userId: string }): Promise<{ text: string }>;
  /** Plans the next daily purge (the reconciler calls it; harmless twice). */
  plan(): Promise<number>;
  /** Redacts one timeline entry, incident text or intake report body (the Redact modal); returns the words for the caller. */
  redact(input: { userId: string; target: RedactTarget; reason: string }): Promise<string>;
  /** The "Redact in Meridian" shortcut: the timeline entry copied from this message, for someone who may redact. */
  entryOfMessage(input: { userId: string; channelId: string; ts: string }): Promise<string>;
  /** A Slack edit of a captured message: the copy follows. */
  followMessageEdit(input: { channelId: string; ts: string; text: string }): Promise<number>;
  /** A Slack deletion of a captured message: the copy is redacted. */
  followMessageDeletion(input: { channelId: string; ts: string }): Promise<number>;
  /** GET /api/audit: the audit log of a period as CSV or JSON Lines. */
  exportAudit(query: { from: string | undefined; to: string | undefined; format: string | undefined }): Promise<AuditExportAnswer>;
  /** The `retention-purge` action. */
  runPurge(ctx: ActionContext<'retention-purge'>): Promise<ActionOutcome>;
}

export function createRetentionServices(
  deps: HoldDeps &
    Pick<RedactDeps, 'nameOf' | 'groupMembers' | 'refreshReview' | 'refreshReportPosts' | 'rewritePost'> & {
      db: Database;
      scheduler: ActionScheduler;
      logger: Logger;
      clock: Clock;
    },
): RetentionServices {
  return {
    hold: (input) => holdIncident(deps, input),
    releaseHold: (input) => releaseHold(deps, input),
    listHolds: (input) => listHolds(deps, input),
    readHeld: (input) => readHeldTexts(deps, input),
    plan: () => withPlanning(deps, ({ plan }) => planRetentionPurge(plan, deps.retention, deps.clock())),
    runPurge: (ctx) => runRetentionPurge(deps, ctx),
    exportAudit: (query) => exportAuditLog(deps, query),
    redact: (input) => redactText(deps, input),
    entryOfMessage: (input) => entryOfMessage(deps, input),
    followMessageEdit: (input) => followMessageEdit(deps, input),
    followMessageDeletion: (input) => followMessageDeletion(deps, input),
  };
}
