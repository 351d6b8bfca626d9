import type { Database } from '../db/client.js';
import { listPendingActions } from '../db/repos/scheduled-actions.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { ActionQueue } from './action-queue.js';

/** A pending action this much past due is not just queued behind others: something stalled. */
export const OVERDUE_AFTER_MS = 60_000;
const DEFAULT_PAGE_SIZE = 5000;

export interface ReconcileReport {
  pending: number;
  reenqueued: number;
  overdueFired: number;
}

/**
 * Makes Redis agree with Postgres: every pending row gets a job (re-adding an existing job id is
 * a no-op in BullMQ), and a row more than a minute overdue whose job is parked (delayed, failed)
 * is fired now and reported, so a silently stalled escalation cannot exist.
 */
export async function reconcileActions(deps: {
  db: Database;
  queue: ActionQueue;
  logger: Logger;
  metrics: Pick<Metrics, 'overdueActionsFired' | 'actionsReenqueued'>;
  clock: () => Date;
  /** Rows read from Postgres per round trip. */
  pageSize?: number;
}): Promise<ReconcileReport> {
  const now = deps.clock();
  const BATCH = deps.pageSize ?? DEFAULT_PAGE_SIZE;
  const report: ReconcileReport = { pending: 0, reenqueued: 0, overdueFired: 0 };
  for (let page = await listPendingActions(deps.db, { limit: BATCH }); page.length > 0; ) {
    await reconcilePage(deps, page, now, report);
    if (page.length < BATCH) break;
    page = await listPendingActions(deps.db, { limit: BATCH, after: page[page.length - 1] });
  }
  deps.metrics.actionsReenqueued.inc(report.reenqueued);
  deps.metrics.overdueActionsFired.inc(report.overdueFired);
  if (report.reenqueued > 0) deps.logger.info(report, 'reconciled scheduled actions');
  return report;
}

async function reconcilePage(
  deps: Parameters<typeof reconcileActions>[0],
  rows: Awaited<ReturnType<typeof listPendingActions>>,
  now: Date,
  report: ReconcileReport,
): Promise<void> {
  report.pending += rows.length;
  const missing: typeof rows = [];
  for (const row of rows) {
    const job = await deps.queue.queue.getJob(row.id);
    if (!job) {
      missing.push(row);
      continue;
    }
    if (now.getTime() - row.dueAt.getTime() <= OVERDUE_AFTER_MS) continue;
    const state = await job.getState();
    if (state === 'delayed') await job.promote();
    else if (state === 'failed') await job.retry();
    else continue;
    report.overdueFired += 1;
    deps.logger.warn({ actionId: row.id, kind: row.kind, dueAt: row.dueAt, state }, 'overdue scheduled action fired by the reconciler');
  }
  if (missing.length > 0) {
    await deps.queue.add(missing);
    report.reenqueued += missing.length;
    const overdue = missing.filter((r) => now.getTime() - r.dueAt.getTime() > OVERDUE_AFTER_MS);
    report.overdueFired += overdue.length;
    if (overdue.length > 0) {
      deps.logger.warn({ actionIds: overdue.map((r) => r.id) }, 'overdue scheduled actions were missing in Redis and fired now');
    }
  }
}

/** Runs the reconciler now and then every `everyMs`; returns a stop function. */
export function startReconciler(run: () => Promise<unknown>, everyMs: number, logger: Logger): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = run().catch((err: unknown) => logger.error({ err }, 'reconciler failed'));
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
