import type { Database, Db } from '../db/client.js';
import { finishAction, lockPendingAction, recordActionFailure, type ScheduledAction } from '../db/repos/scheduled-actions.js';
import { safeErrorMessage, type Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { isActionKind, type ActionKind } from './catalog.js';
import type { ActionScheduler } from './action-queue.js';

/** What an action did: `skipped` when it no longer applied (incident resolved, page acknowledged). */
export type ActionOutcome = 'done' | 'skipped';

/** An outcome, plus actions the handler planned in `tx`, enqueued once that transaction commits. */
export interface ActionResult {
  outcome: ActionOutcome;
  followUps?: ScheduledAction[];
}

/**
 * `tx` holds the row's lock; a handler writes in it what must commit together with the row being
 * marked done (the next escalation step), and writes progress that must survive a failure
 * (a page sent) outside it. On the embedded database `tx` is the database itself, so writes that
 * must be atomic together go in `tx.transaction(...)` (a savepoint when `tx` is a transaction).
 */
export type ActionHandler = (action: ScheduledAction, tx: Db) => Promise<ActionOutcome | ActionResult>;
export type ActionHandlers = Readonly<Record<ActionKind, ActionHandler>>;

/** Another worker holds the row: retry later, in case that worker dies before finishing. */
export class ActionBusy extends Error {
  override readonly name = 'ActionBusy';
}

export interface RunActionDeps {
  db: Database;
  /** True for the embedded database, which has one connection and one process. */
  singleConnection: boolean;
  scheduler: Pick<ActionScheduler, 'enqueue'>;
  handlers: ActionHandlers;
  logger: Logger;
  metrics: Pick<Metrics, 'actionsRun' | 'actionLateness' | 'escalationLateness'>;
  clock: () => Date;
}

/**
 * Runs one scheduled action at most once at a time. The row lock lives in a transaction that
 * only holds it; the handler's own writes commit on their own, so the progress of a
 * half-finished action (a channel created, a card posted) survives its failure and retry.
 * A killed process drops its connection, and Postgres releases the lock with it.
 */
export async function runScheduledAction(deps: RunActionDeps, actionId: string): Promise<ActionOutcome | 'not-pending'> {
  let kind = 'unknown';
  try {
    const run = async (tx: Db): Promise<ActionResult | 'not-pending'> => {
      const row = await lockPendingAction(tx, actionId);
      if (row === 'locked') throw new ActionBusy(`action ${actionId} is being run by another worker`);
      if (!row) return 'not-pending';
      kind = row.kind;
      if (!isActionKind(row.kind)) throw new Error(`unknown action kind ${row.kind}`);
      const now = deps.clock();
      const lateS = Math.max(0, now.getTime() - row.dueAt.getTime()) / 1000;
      deps.metrics.actionLateness.observe(lateS);
      if (row.kind === 'escalation-step') deps.metrics.escalationLateness.observe(lateS);
      const handled = await deps.handlers[row.kind](row, tx);
      const outcome = typeof handled === 'string' ? { outcome: handled } : handled;
      await finishAction(tx, row.id, outcome.outcome, deps.clock());
      return outcome;
    };
    // One connection (embedded PGlite): an open transaction would block the handler's own writes,
    // and there is no other process to lock out, so the row is run without the lock transaction.
    const result = deps.singleConnection ? await run(deps.db) : await deps.db.transaction((tx) => run(tx));
    if (result === 'not-pending') return result;
    deps.metrics.actionsRun.inc({ kind, outcome: result.outcome });
    if (result.followUps?.length) await deps.scheduler.enqueue(result.followUps);
    return result.outcome;
  } catch (err) {
    if (err instanceof ActionBusy) {
      deps.metrics.actionsRun.inc({ kind, outcome: 'busy' });
      throw err;
    }
    deps.metrics.actionsRun.inc({ kind, outcome: 'failed' });
    // The row is read by people and SQL views: the same safe words as the log, no query parameters.
    const lastError = err instanceof Error ? `${err.name}: ${safeErrorMessage(err)}` : 'a non-Error value was thrown';
    const attempts = await recordActionFailure(deps.db, actionId, lastError).catch(() => -1);
    deps.logger.warn({ err, actionId, kind, attempts }, 'scheduled action failed; it will be retried');
    throw err;
  }
}
