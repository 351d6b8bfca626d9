import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { eq } from 'drizzle-orm';
import { insertScheduledActions } from '../../src/db/repos/scheduled-actions.js';
import { scheduledActions } from '../../src/db/schema/index.js';
import { createActionQueue, type ActionQueue } from '../../src/jobs/action-queue.js';
import { startActionWorker } from '../../src/jobs/action-worker.js';
import { type ActionHandler, type ActionHandlers, runScheduledAction, type RunActionDeps } from '../../src/jobs/run-action.js';
import type { ActionKind } from '../../src/domain/action-catalog.js';
import { createMetrics } from '../../src/metrics.js';
import { TEST_REDIS_URL } from '../support/infra.js';
import { flushPrefix } from '../support/meridian-harness.js';
import { createTestDatabase, testQueuePrefix } from '../support/test-database.js';

const prefix = testQueuePrefix(import.meta.url);
const logger = pino({ level: 'silent' });
let producer: Redis;
let blocking: Redis;
let queue: ActionQueue;
let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
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
  await database?.drop();
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

describe('runScheduledAction', () => {
  it("when a row's data does not fit its kind, then its job fails once without a retry, the row is failed with the reason, and no handler runs", async () => {
    const ran: string[] = [];
    const handler =
      <K extends ActionKind>(kind: K): ActionHandler<K> =>
      async () => {
        ran.push(kind);
        return 'done';
      };
    const handlers: ActionHandlers = {
      'set-up-channel': handler('set-up-channel'),
      'escalation-step': handler('escalation-step'),
      'handoff-notice': handler('handoff-notice'),
      'update-reminder': handler('update-reminder'),
      'clock-reminder': handler('clock-reminder'),
      'clock-miss': handler('clock-miss'),
      'triage-post': handler('triage-post'),
      'triage-nudge': handler('triage-nudge'),
      'incident-origin': handler('incident-origin'),
      digest: handler('digest'),
      'exposure-check': handler('exposure-check'),
      'coverage-end-offer': handler('coverage-end-offer'),
      'user-group-sync': handler('user-group-sync'),
      'follow-up-notice': handler('follow-up-notice'),
      'follow-up-reminder': handler('follow-up-reminder'),
      'follow-up-export': handler('follow-up-export'),
      'follow-up-sync': handler('follow-up-sync'),
      'page-notification': handler('page-notification'),
      'retention-purge': handler('retention-purge'),
      'seen-before': handler('seen-before'),
      'review-reminder': handler('review-reminder'),
      'review-canvas': handler('review-canvas'),
      'follow-up-webhook': handler('follow-up-webhook'),
    };
    const nobody = { postOnce: async () => Promise.reject(new Error('nothing may be posted')) };
    const deps: RunActionDeps = {
      db: database.db,
      singleConnection: false,
      scheduler: { enqueue: async () => {} },
      handlers,
      deliverers: { urgent: nobody, soon: nobody, normal: nobody, bulk: nobody },
      logger,
      metrics: createMetrics(),
      clock: () => new Date(),
    };
    // A step number that is text, and no escalation id: written by hand, as an old or broken writer might.
    const [row] = await insertScheduledActions(database.db, [
      { incidentId: null, kind: 'escalation-step', dueAt: new Date(), data: { stepNumber: 'two' }, dedupeKey: null },
    ]);
    const worker = startActionWorker({
      connection: blocking,
      prefix,
      concurrency: 1,
      lockMs: 30_000,
      logger,
      run: (id) => runScheduledAction(deps, id),
    });
    try {
      const failed = new Promise<void>((resolve) => worker.on('failed', () => resolve()));
      const job = await queue.queue.add(
        'escalation-step',
        { actionId: row!.id },
        { jobId: row!.id, attempts: 5, backoff: { type: 'fixed', delay: 60_000 } },
      );
      await failed;
      const after = await queue.queue.getJob(job.id as string);
      expect(await after?.getState()).toBe('failed');
      expect(after?.attemptsMade).toBe(1);
      const [stored] = await database.db.select().from(scheduledActions).where(eq(scheduledActions.id, row!.id));
      expect(stored?.status).toBe('failed');
      expect(stored?.lastError).toContain('UnreadableAction');
      expect(stored?.lastError).toContain('escalationId');
      expect(stored?.lastError).toContain('stepNumber');
      // The reason names fields and zod codes, not the values the row held.
      expect(stored?.lastError).not.toContain('two');
      expect(ran).toEqual([]);
    } finally {
      await worker.close();
    }
  });
});
