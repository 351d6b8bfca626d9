/**
 * A row planned while Redis is restarting (a step's follow-up, a reminder) cannot be enqueued;
 * the queue keeps it and adds its job as soon as the producer connection is ready again, without
 * waiting for the reconciler's next pass (a minute in production). No reconciler runs here.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionQueue, type ActionQueue } from '../../src/jobs/action-queue.js';
import { producerConnection, resolveRedis, type RedisConnection } from '../../src/redis.js';
import { startDurableRedis, type DurableRedis } from '../faults/support.js';
import { eventually } from '../support/meridian-harness.js';

const logger = pino({ level: 'silent' });
let redis: DurableRedis;
let connection: RedisConnection;
let queue: ActionQueue;

beforeAll(async () => {
  redis = await startDurableRedis(); // started
  const endpoint = await resolveRedis({ url: redis.url, dataDir: '/nonexistent', logger });
  connection = producerConnection(endpoint);
  connection.on('error', () => {});
  queue = createActionQueue({ connection, prefix: '{mq_enqueue_restart}', logger });
});
afterAll(async () => {
  await queue?.close().catch(() => {});
  connection?.disconnect();
  await redis?.destroy();
});

describe('enqueueing while Redis is away', () => {
  it('when Redis comes back, then the rows that failed are enqueued at once, and one enqueued before is untouched', async () => {
    const before = { id: 'sa-00000000-0000-4000-8000-000000000001', kind: 'escalation-step', dueAt: new Date(Date.now() + 3_600_000) };
    await queue.enqueue([before]);
    expect(await queue.queue.getJob(before.id)).toBeTruthy();

    await redis.stop();
    // Once the producer knows Redis is gone, commands fail at once (no offline queue).
    await eventually(() => connection.status !== 'ready', 'the producer to see Redis gone');
    const during = { id: 'sa-00000000-0000-4000-8000-000000000002', kind: 'escalation-step', dueAt: new Date(Date.now() + 3_600_000) };
    await queue.enqueue([during]); // fails fast (no offline queue) and is kept
    await redis.start();

    // Until the producer has reconnected, reading fails like the enqueue did.
    const job = await eventually(
      () => queue.queue.getJob(during.id).catch(() => undefined),
      'the job planned while Redis was away',
      10_000,
    );
    expect(job.data).toEqual({ actionId: during.id });
    expect(await queue.queue.getJobCounts('delayed')).toEqual({ delayed: 2 });
  }, 30_000);
});
