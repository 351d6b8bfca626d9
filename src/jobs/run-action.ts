import { UnrecoverableError } from 'bullmq';
import type { Database, Db } from '../db/client.js';
import { failAction, finishAction, lockPendingAction, recordActionFailure, type ScheduledAction } from '../db/repos/scheduled-actions.js';
import { ACTION_CATALOG, type ActionData, type ActionKind, type ActionUrgency, parseActionData } from '../domain/action-catalog.js';
import { isActionKind, mayBeRedelivered } from '../domain/scheduled-action.js';
import { safeErrorMessage, type Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { MessageInput } from '../slack-api/gateway-messages.js';
import { WorkspaceUnavailable } from '../slack-api/errors.js';
import { inWorkspace } from '../slack-api/workspace.js';
import type { ActionScheduler } from './action-queue.js';
import { planner, type Plan } from './plan.js';

/** What an action did: `skipped` when it no longer applied (incident resolved, page acknowledged). */
export type ActionOutcome = 'done' | 'skipped';

/** A message posted (or adopted: found tagged with its key, posted by an earlier attempt). */
export interface Delivered {
  channel: string;
  ts: string;
  adopted: boolean;
}

/** The one way a job posts to Slack: tagged by key, so a retry adopts what Slack already has. */
export interface Deliverer {
  postOnce(key: string, input: MessageInput, opts?: { mayExist?: boolean }): Promise<Delivered>;
}

/** The row as a handler sees it: everything but its raw data, which it gets parsed as `data`. */
export type ActionRow = Omit<ScheduledAction, 'data'>;

/**
 * What a handler of kind `K` is given. `tx` holds the row's lock; a handler writes in it what
 * must commit together with the row being marked done (the next escalation step), and writes
 * progress that must survive a failure (a page sent) outside it. On the embedded database `tx` is
 * the database itself, so writes that must be atomic together go in `tx.transaction(...)`.
 */
export interface ActionContext<K extends ActionKind> {
  action: ActionRow;
  /** The row's data, parsed once with the kind's schema. */
  data: ActionData<K>;
  tx: Db;
  /** The instant this run started. */
  now: Date;
  /**
   * Posts once per key: "may an earlier run have posted it?" is decided once for the run, from
   * the row's recorded failures and its lateness. Keys name the action and the destination
   * (`<kind>:<row or subject>:<who>`), so a retry sends only what is missing.
   */
  deliver(key: string, message: MessageInput): Promise<Delivered>;
  /**
   * The run's one answer to "may an earlier run have posted already?" (what `deliver` uses), for
   * work that re-checks its own earlier posts (a channel set-up re-reading the lines it claimed).
   */
  mayExist: boolean;
  /** A follow-up action, written in `tx` and enqueued once the run commits. */
  plan: Plan;
}

export type ActionHandler<K extends ActionKind> = (ctx: ActionContext<K>) => Promise<ActionOutcome>;
/** One handler per kind, typed by the kind's data. */
export type ActionHandlers = { readonly [K in ActionKind]: ActionHandler<K> };

/** Another worker holds the row: retry later, in case that worker dies before finishing. */
export class ActionBusy extends Error {
  override readonly name = 'ActionBusy';
}

/** A row whose data its kind's schema refuses: it can never run, so it fails once, visibly. */
export class UnreadableAction extends UnrecoverableError {
  override readonly name = 'UnreadableAction';
}

/** The action's Slack workspace is gone (the app was removed from it): it fails closed, once. */
export class WorkspaceGone extends UnrecoverableError {
  override readonly name = 'WorkspaceGone';
}

/** Whether `err` (or what caused it) says the workspace is unreachable. */
function workspaceGone(err: unknown): WorkspaceUnavailable | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    if (e instanceof WorkspaceUnavailable) return e;
  }
  return undefined;
}

export interface RunActionDeps {
  db: Database;
  /** True for the embedded database, which has one connection and one process. */
  singleConnection: boolean;
  scheduler: Pick<ActionScheduler, 'enqueue'>;
  handlers: ActionHandlers;
  /** The Slack gateway a kind's messages go through, by its urgency (pages do not queue behind digests). */
  deliverers: Readonly<Record<ActionUrgency, Deliverer>>;
  logger: Logger;
  metrics: Pick<Metrics, 'actionsRun' | 'actionLateness' | 'escalationLateness'>;
  clock: () => Date;
  /** OAuth installs: told of each action that failed closed because its workspace is gone (admins are told once). */
  onWorkspaceGone?: (action: { id: string; kind: string; teamId: string | null }) => Promise<void>;
}

/** Parses the row's data with its kind's schema and runs the kind's handler; follow-ups are collected in `planned`. */
async function dispatch<K extends ActionKind>(
  deps: RunActionDeps,
  kind: K,
  row: ScheduledAction,
  tx: Db,
  now: Date,
  planned: ScheduledAction[],
): Promise<ActionOutcome> {
  const parsed = parseActionData(kind, row.data);
  if (!parsed.ok) throw new UnreadableAction(`the ${kind} row's data does not fit its kind: ${parsed.problem}`);
  const { data: _raw, ...action } = row;
  const mayExist = mayBeRedelivered(row, now);
  const deliverer = deps.deliverers[ACTION_CATALOG[kind].urgency];
  const own = planner(tx, { incidentId: row.incidentId });
  const handler: ActionHandler<K> = deps.handlers[kind];
  // Every Slack call of the run is made in the workspace that planned it (Enterprise Grid).
  const workspace = row.teamId === null ? undefined : { teamId: row.teamId, enterpriseId: row.enterpriseId ?? undefined };
  const outcome = await inWorkspace(workspace, () =>
    handler({
      action,
      data: parsed.data,
      tx,
      now,
      deliver: (key, message) => deliverer.postOnce(key, message, { mayExist }),
      mayExist,
      plan: own.plan,
    }),
  );
  planned.push(...own.planned);
  return outcome;
}

/**
 * Runs one scheduled action at most once at a time. The row lock lives in a transaction that
 * only holds it; the handler's own writes commit on their own, so the progress of a
 * half-finished action (a channel created, a card posted) survives its failure and retry.
 * A killed process drops its connection, and Postgres releases the lock with it.
 */
export async function runScheduledAction(deps: RunActionDeps, actionId: string): Promise<ActionOutcome | 'not-pending'> {
  let kind = 'unknown';
  let teamId: string | null = null;
  try {
    const planned: ScheduledAction[] = [];
    const run = async (tx: Db): Promise<ActionOutcome | 'not-pending'> => {
      planned.length = 0;
      const row = await lockPendingAction(tx, actionId);
      if (row === 'locked') throw new ActionBusy(`action ${actionId} is being run by another worker`);
      if (!row) return 'not-pending';
      kind = row.kind;
      teamId = row.teamId;
      if (!isActionKind(row.kind)) throw new UnreadableAction(`unknown action kind ${row.kind}`);
      const now = deps.clock();
      const lateS = Math.max(0, now.getTime() - row.dueAt.getTime()) / 1000;
      deps.metrics.actionLateness.observe(lateS);
      if (row.kind === 'escalation-step') deps.metrics.escalationLateness.observe(lateS);
      const outcome = await dispatch(deps, row.kind, row, tx, now, planned);
      await finishAction(tx, row.id, outcome, deps.clock());
      return outcome;
    };
    // One connection (embedded PGlite): an open transaction would block the handler's own writes,
    // and there is no other process to lock out, so the row is run without the lock transaction.
    const outcome = deps.singleConnection ? await run(deps.db) : await deps.db.transaction((tx) => run(tx));
    if (outcome === 'not-pending') return outcome;
    deps.metrics.actionsRun.inc({ kind, outcome });
    if (planned.length) await deps.scheduler.enqueue(planned);
    return outcome;
  } catch (err) {
    if (err instanceof ActionBusy) {
      deps.metrics.actionsRun.inc({ kind, outcome: 'busy' });
      throw err;
    }
    deps.metrics.actionsRun.inc({ kind, outcome: 'failed' });
    // The row is read by people and SQL views: the same safe words as the log, no query parameters.
    const lastError = err instanceof Error ? `${err.name}: ${safeErrorMessage(err)}` : 'a non-Error value was thrown';
    if (err instanceof UnreadableAction) {
      // Never retried: BullMQ fails the job, and the row says why instead of staying pending for the reconciler.
      await failAction(deps.db, actionId, lastError, deps.clock()).catch(() => undefined);
      deps.logger.error({ actionId, kind, error: lastError }, 'scheduled action cannot be read; marked failed');
      throw err;
    }
    const gone = workspaceGone(err);
    if (gone !== undefined) {
      // Never retried: the row says why, the admins are told once per removal, BullMQ fails the job.
      await failAction(deps.db, actionId, `WorkspaceGone: ${safeErrorMessage(gone)}`, deps.clock()).catch(() => undefined);
      await deps
        .onWorkspaceGone?.({ id: actionId, kind, teamId: gone.teamId ?? teamId })
        .catch((e: unknown) => deps.logger.warn({ err: e }, 'could not report a workspace gone'));
      throw new WorkspaceGone(`the ${kind} action's Slack workspace is gone: ${safeErrorMessage(gone)}`);
    }
    const attempts = await recordActionFailure(deps.db, actionId, lastError).catch(() => -1);
    deps.logger.warn({ err, actionId, kind, attempts }, 'scheduled action failed; it will be retried');
    throw err;
  }
}
