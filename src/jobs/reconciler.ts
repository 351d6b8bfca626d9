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
  // The next page is read from Postgres while this one is checked against Redis.
  for (let page = await listPendingActions(deps.db, { limit: BATCH }); page.length > 0; ) {
    const next = page.length < BATCH ? undefined : listPendingActions(deps.db, { limit: BATCH, after: page[page.length - 1] });
    next?.catch(() => {}); // awaited below; a failure surfaces there
    await reconcilePage(deps, page, now, report);
    if (!next) break;
    page = await next;
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
  const states = await jobStates(
    deps.queue,
    rows.map((r) => r.id),
  );
  const missing: typeof rows = [];
  for (const [i, row] of rows.entries()) {
    const state = states[i];
    if (state === 'missing') {
      missing.push(row);
      continue;
    }
    if (now.getTime() - row.dueAt.getTime() <= OVERDUE_AFTER_MS) continue;
    if (state !== 'delayed' && state !== 'failed') continue;
    // Rare (something stalled): one job at a time is fine here.
    const job = await deps.queue.queue.getJob(row.id);
    if (!job) continue;
    if (state === 'delayed') await job.promote();
    else await job.retry();
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

type JobState = 'missing' | 'delayed' | 'failed' | 'other';

/**
 * One Lua script per page instead of a getJob and a getState per row: for each job id, whether
 * its hash exists and whether it sits in the delayed or failed set. Every key the script reads is
 * declared in KEYS (the delayed set, the failed set, then one job hash per id), as Redis Cluster
 * requires; they share the queue's hash-tagged prefix, so they are all in one slot.
 */
const JOB_STATES_LUA = `
local out = {}
for i, id in ipairs(ARGV) do
  if redis.call('EXISTS', KEYS[i + 2]) == 0 then out[#out + 1] = 'missing'
  elseif redis.call('ZSCORE', KEYS[1], id) then out[#out + 1] = 'delayed'
  elseif redis.call('ZSCORE', KEYS[2], id) then out[#out + 1] = 'failed'
  else out[#out + 1] = 'other' end
end
return out`;

async function jobStates(queue: ActionQueue, ids: readonly string[]): Promise<JobState[]> {
  if (ids.length === 0) return [];
  const q = queue.queue;
  const keys = [q.toKey('delayed'), q.toKey('failed'), ...ids.map((id) => q.toKey(id))];
  return (await queue.redis.eval(JOB_STATES_LUA, keys.length, ...keys, ...ids)) as JobState[];
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
