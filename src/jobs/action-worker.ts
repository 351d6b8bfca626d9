import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { ACTION_QUEUE, actionIdOf, type ActionJobPayload } from './catalog.js';

/**
 * The BullMQ worker that delivers scheduled actions. It knows nothing of what they do:
 * `run` receives the row id and does the rest.
 */
export function startActionWorker(opts: {
  connection: Redis;
  prefix: string;
  concurrency: number;
  /** A job whose worker stops renewing its lock this long is stalled and retried elsewhere. */
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
    stalledInterval: opts.lockMs,
  });
  worker.on('error', (err) => log.error({ err }, 'worker error'));
  worker.on('failed', (job, err) => {
    if (err instanceof UnrecoverableError) log.error({ err, jobId: job?.id }, 'action job dropped: it cannot succeed');
    else log.debug({ err, jobId: job?.id, attempt: job?.attemptsMade }, 'action attempt failed');
  });
  return worker;
}
