import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { insertScheduledActions } from '../../src/db/repos/scheduled-actions.js';
import { createMetrics } from '../../src/metrics.js';
import { createActionQueue, type ActionQueue } from '../../src/jobs/action-queue.js';
import { reconcileActions } from '../../src/jobs/reconciler.js';
import { TEST_REDIS_URL } from '../support/infra.js';
import { flushPrefix } from '../support/meridian-harness.js';
import { createTestDatabase, testQueuePrefix } from '../support/test-database.js';

const NOW = new Date('2026-03-02T10:00:00Z');
const prefix = testQueuePrefix(import.meta.url);
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: Redis;
let queue: ActionQueue;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  await flushPrefix(prefix);
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  queue = createActionQueue({ connection: redis, prefix, logger, clock: () => NOW });
});
afterAll(async () => {
  await queue?.close();
  redis?.disconnect();
  await flushPrefix(prefix);
  await database?.drop();
});

describe('reconcileActions', () => {
  it('when Redis lost every job, then every pending row is enqueued again, page after page, and a second pass adds nothing', async () => {
    const rows = await insertScheduledActions(
      database.db,
      Array.from({ length: 7 }, (_, i) => ({
        incidentId: null,
        kind: 'set-up-channel',
        dueAt: new Date(NOW.getTime() + (i + 1) * 60_000),
        data: {},
        dedupeKey: null,
      })),
    );
    const deps = { db: database.db, queue, logger, metrics: createMetrics(), clock: () => NOW, pageSize: 3 };
    const first = await reconcileActions(deps);
    expect(first).toEqual({ pending: 7, reenqueued: 7, overdueFired: 0 });
    for (const row of rows) expect(await queue.queue.getJob(row.id)).toBeDefined();
    expect(await reconcileActions(deps)).toEqual({ pending: 7, reenqueued: 0, overdueFired: 0 });
  });

  it('when a row is more than a minute overdue and its job still waits, then it is promoted and counted', async () => {
    const later = new Date(NOW.getTime() + 10 * 60_000);
    const [row] = await insertScheduledActions(database.db, [
      { incidentId: null, kind: 'set-up-channel', dueAt: new Date(NOW.getTime() + 60_000), data: {}, dedupeKey: null },
    ]);
    await queue.add([{ ...row!, dueAt: new Date(NOW.getTime() + 3_600_000) }]); // a job parked far too late
    const metrics = createMetrics();
    const report = await reconcileActions({ db: database.db, queue, logger, metrics, clock: () => later });
    expect(report.overdueFired).toBeGreaterThanOrEqual(1);
    expect(await (await queue.queue.getJob(row!.id))!.getState()).toBe('waiting');
    expect(await metrics.registry.getSingleMetricAsString('meridian_overdue_actions_fired_total')).toMatch(
      /meridian_overdue_actions_fired_total [1-9]/,
    );
  });
});
