import type { Job, Queue } from 'bullmq';
import type { ActionJobPayload } from './catalog.js';

/** The earliest delayed action: its kind and when it is due. */
export interface NextDueAction {
  kind: string;
  dueAt: Date;
}

async function earliestDelayed(queue: Queue<ActionJobPayload>): Promise<Job<ActionJobPayload> | undefined> {
  // BullMQ keeps delayed jobs in a sorted set by due time: ascending, the first is the earliest.
  const [job] = await queue.getJobs(['delayed'], 0, 0, true);
  return job;
}

const describe = (job: Job<ActionJobPayload>): NextDueAction => ({
  kind: job.name,
  dueAt: new Date(job.timestamp + (job.opts.delay ?? 0)),
});

/** What fires next, without touching it. */
export async function nextDueAction(queue: Queue<ActionJobPayload>): Promise<NextDueAction | undefined> {
  const job = await earliestDelayed(queue);
  return job ? describe(job) : undefined;
}

/**
 * Makes the earliest delayed action due now. It then runs through the worker like any other
 * (row lock, re-checks, follow-ups planned from the real clock): a way to play a whole
 * escalation in a minute without faking time.
 */
export async function promoteNextDueAction(queue: Queue<ActionJobPayload>): Promise<NextDueAction | undefined> {
  const job = await earliestDelayed(queue);
  if (!job) return undefined;
  const due = describe(job);
  await job.promote();
  return due;
}
