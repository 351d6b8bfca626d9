import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createActionQueue, type ActionQueue } from '../../src/jobs/action-queue.js';
import { startActionWorker } from '../../src/jobs/action-worker.js';
import { TEST_REDIS_URL } from '../support/infra.js';
import { flushPrefix } from '../support/meridian-harness.js';
import { testQueuePrefix } from '../support/test-database.js';

const prefix = testQueuePrefix(import.meta.url);
const logger = pino({ level: 'silent' });
let producer: Redis;
let blocking: Redis;
let queue: ActionQueue;

beforeAll(async () => {
  await flushPrefix(prefix);
  producer = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  blocking = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  queue = createActionQueue({ connection: producer, prefix, logger });
});
afterAll(async () => {
  await queue?.close();
  producer?.disconnect();
  blocking?.disconnect();
  await flushPrefix(prefix);
});

describe('startActionWorker', () => {
  it('when a job carries no scheduled action id, then it fails once and is not retried, and nothing runs', async () => {
    const ran: string[] = [];
    const worker = startActionWorker({
      connection: blocking,
      prefix,
      concurrency: 1,
      lockMs: 30_000,
      logger,
      run: async (id) => void ran.push(id),
    });
    try {
      const failed = new Promise<void>((resolve) => worker.on('failed', () => resolve()));
      const job = await queue.queue.add(
        'set-up-channel',
        { actionId: 'not-a-row-id' },
        { attempts: 3, backoff: { type: 'fixed', delay: 60_000 } },
      );
      await failed;
      const after = await queue.queue.getJob(job.id as string);
      expect(await after?.getState()).toBe('failed');
      expect(after?.attemptsMade).toBe(1);
      expect(ran).toEqual([]);
    } finally {
      await worker.close();
    }
  });
});
