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
    // Ready to run: set-up-channel jobs carry a priority, so BullMQ holds them in its prioritized set.
    expect(await (await queue.queue.getJob(row!.id))!.getState()).toBe('prioritized');
    expect(await metrics.registry.getSingleMetricAsString('meridian_overdue_actions_fired_total')).toMatch(
      /meridian_overdue_actions_fired_total [1-9]/,
    );
  });

  it('when pages mix rows Redis lost, overdue parked jobs and jobs waiting their turn, then one batched look-up per page sorts them all', async () => {
    const later = new Date(NOW.getTime() + 100 * 60_000);
    const rows = await insertScheduledActions(
      database.db,
      Array.from({ length: 8 }, (_, i) => ({
        incidentId: null,
        kind: 'set-up-channel' as const,
        // Rows 0-3 are long overdue at `later`; 4-7 are due after it.
        dueAt: new Date(later.getTime() + (i < 4 ? -30 * 60_000 + i : 60_000 + i)),
        data: {},
        dedupeKey: null,
      })),
    );
    // Rows 0 and 1 have jobs parked far too late; 4 and 5 have jobs on time; 2, 3, 6, 7 are lost.
    await queue.add([rows[0]!, rows[1]!].map((r) => ({ ...r, dueAt: new Date(NOW.getTime() + 10 * 3_600_000) })));
    await queue.add([rows[4]!, rows[5]!]);
    const report = await reconcileActions({ db: database.db, queue, logger, metrics: createMetrics(), clock: () => later, pageSize: 3 });
    expect(report.reenqueued).toBe(4);
    // Overdue: the two parked jobs promoted, the two lost overdue rows enqueued to run now (and
    // the earlier tests' rows, overdue by now too).
    expect(report.overdueFired).toBeGreaterThanOrEqual(4);
    const state = async (i: number) => (await queue.queue.getJob(rows[i]!.id))?.getState();
    // The parked ones run now; the lost ones have jobs again; the on-time ones are left alone.
    for (const i of [0, 1]) expect(await state(i), `row ${i}`).toBe('prioritized');
    for (const i of [2, 3, 6, 7]) expect(await state(i), `row ${i}`).toBeDefined();
    for (const i of [4, 5]) expect(await state(i), `row ${i}`).toBe('delayed');
    expect(
      await reconcileActions({ db: database.db, queue, logger, metrics: createMetrics(), clock: () => later, pageSize: 3 }),
    ).toMatchObject({
      reenqueued: 0,
    });
  });
});
