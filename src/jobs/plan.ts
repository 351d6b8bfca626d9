import type { Database, Db, Transaction } from '../db/client.js';
import { cancelPendingActions, insertScheduledActions, type ScheduledAction } from '../db/repos/scheduled-actions.js';
import type { ActionData, ActionKind } from '../domain/action-catalog.js';
import { currentWorkspace } from '../slack-api/workspace.js';
import type { ActionScheduler } from './action-queue.js';

/** Where a planned row belongs: its incident (none for schedule-wide actions) and, for rows planned more than once from one source, its dedupe key. */
export interface PlanOptions {
  incidentId?: string | null;
  dedupeKey?: string | null;
  /** A savepoint (or, on the embedded database, a transaction) opened inside the planner's own: the row is written there. */
  within?: Db;
}

/**
 * Plans a future action: a typed row written in the caller's transaction, enqueued once that
 * transaction commits. Undefined when a row with the same dedupe key exists already.
 */
export type Plan = <K extends ActionKind>(
  kind: K,
  data: ActionData<K>,
  dueAt: Date,
  opts?: PlanOptions,
) => Promise<ScheduledAction | undefined>;

/** Cancels an incident's pending rows (of some kinds) in the transaction; their jobs are removed after commit. */
export type CancelPlanned = (incidentId: string, at: Date, kinds?: readonly ActionKind[]) => Promise<string[]>;

/** A `plan` writing in `db`, and what it planned, for the caller to enqueue after commit. */
export function planner(db: Db, defaults: PlanOptions = {}): { plan: Plan; planned: ScheduledAction[] } {
  const planned: ScheduledAction[] = [];
  const plan: Plan = async (kind, data, dueAt, opts = {}) => {
    // The workspace of the request or job planning it: the action runs there (Enterprise Grid).
    const workspace = currentWorkspace();
    const [row] = await insertScheduledActions(opts.within ?? db, [
      {
        kind,
        dueAt,
        teamId: workspace?.teamId ?? null,
        enterpriseId: workspace?.enterpriseId ?? null,
        data: { ...data },
        incidentId: opts.incidentId === undefined ? (defaults.incidentId ?? null) : opts.incidentId,
        dedupeKey: opts.dedupeKey ?? null,
      },
    ]);
    if (row) planned.push(row);
    return row;
  };
  return { plan, planned };
}

export interface Planning {
  tx: Transaction;
  plan: Plan;
  cancel: CancelPlanned;
  /** Rows another repository cancelled in `tx` (a clock's plan): their jobs are removed after commit. */
  dropJobs(ids: readonly string[]): void;
}

/**
 * "Insert in the transaction, enqueue after commit", once for every use case: runs `work` in a
 * transaction; once it commits, the rows it planned are enqueued and the jobs of the rows it
 * cancelled removed (best effort both: the reconciler covers a Redis hiccup).
 */
export async function withPlanning<T>(
  deps: { db: Database; scheduler: Pick<ActionScheduler, 'enqueue'> & Partial<Pick<ActionScheduler, 'remove'>> },
  work: (planning: Planning) => Promise<T>,
): Promise<T> {
  const planned: ScheduledAction[] = [];
  const cancelled: string[] = [];
  const result = await deps.db.transaction(async (tx) => {
    // A transaction retried by the driver starts over: only the last attempt's rows count.
    planned.length = 0;
    cancelled.length = 0;
    const own = planner(tx);
    const cancel: CancelPlanned = async (incidentId, at, kinds) => {
      const ids = await cancelPendingActions(tx, incidentId, at, kinds);
      cancelled.push(...ids);
      return ids;
    };
    const dropJobs = (ids: readonly string[]) => void cancelled.push(...ids);
    const value = await work({ tx, plan: own.plan, cancel, dropJobs });
    planned.push(...own.planned);
    return value;
  });
  // Without `remove`, a cancelled row's job still fires and finds nothing pending.
  if (cancelled.length) await deps.scheduler.remove?.(cancelled);
  if (planned.length) await deps.scheduler.enqueue(planned);
  return result;
}
