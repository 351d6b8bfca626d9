import { UnrecoverableError, Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { ACTION_QUEUE, actionIdOf, type ActionJobPayload } from './catalog.js';

/**
 * The BullMQ worker that delivers scheduled actions. It knows nothing of what they do:
 * `run` receives the row id and does the rest.
 */
export function startActionWorker(opts: {
  connection: Redis | Cluster;
  prefix: string;
  concurrency: number;
  /**
   * A job whose worker stops renewing its lock this long is stalled and retried elsewhere.
   * BullMQ renews at half the lock; stall checks run every quarter lock (at least 1 s), so a job
   * whose process died is running again within about 1.25 locks (12.5 s at the 10 s default).
   */
  lockMs: number;
  logger: Logger;
  run: (actionId: string) => Promise<unknown>;
}): Worker<ActionJobPayload> {
  const log = opts.logger.child({ component: 'action-worker' });
  const worker = new Worker<ActionJobPayload>(ACTION_QUEUE, async (job) => opts.run(actionIdOf(job.data)), {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: opts.concurrency,
    lockDuration: opts.lockMs,
    stalledInterval: stallCheckEveryMs(opts.lockMs),
    // Twice, not BullMQ's once: a deploy may kill a job's process and then its retry's.
    maxStalledCount: 2,
  });
  worker.on('stalled', (jobId) => log.warn({ jobId }, 'action job stalled (its process stopped renewing the lock); running it again'));
  worker.on('error', (err) => log.error({ err }, 'worker error'));
  worker.on('failed', (job, err) => {
    if (err instanceof UnrecoverableError) log.error({ err, jobId: job?.id }, 'action job dropped: it cannot succeed');
    else log.debug({ err, jobId: job?.id, attempt: job?.attemptsMade }, 'action attempt failed');
  });
  return worker;
}

/** How often a worker looks for jobs whose lock ran out: a quarter lock, at least a second. */
export function stallCheckEveryMs(lockMs: number): number {
  return Math.max(1000, Math.round(lockMs / 4));
}
