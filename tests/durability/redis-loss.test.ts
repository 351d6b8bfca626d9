import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { escalations, incidents, scheduledActions } from '../../src/db/schema/index.js';
import { testRedisCluster } from '../support/infra.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import {
  ALL_STEPS,
  addStepUsers,
  declare,
  dmsTo,
  durabilityConfig,
  expectEachStepOnce,
  metric,
  startPrivateRedis,
  startPrivateRedisCluster,
  STEP_USERS,
  type PrivateRedis,
} from './support.js';

/**
 * "A Redis flush or restart loses nothing": Postgres is the source of truth, and the reconciler
 * puts back into Redis every pending action it lost. This file runs the bot against a
 * redis-server of its own (see startPrivateRedis; in the cluster project a cluster of its own,
 * startPrivateRedisCluster) so that it can flush it and stop it without touching the shared
 * Redis other test files use in parallel.
 */
let h: Harness;
let redis: PrivateRedis;

beforeAll(async () => {
  // In the cluster project, a cluster of its own: it is flushed and killed here.
  redis = testRedisCluster() ? await startPrivateRedisCluster() : await startPrivateRedis();
  h = await startHarness(import.meta.url, {
    meridian: durabilityConfig(),
    env: { ...redis.env, JOB_LOCK_MS: '2000' },
    reconcileEveryMs: 1000,
  });
  addStepUsers(h);
});
afterAll(async () => {
  await h?.close();
  await redis?.stop();
});

const jobKey = (id: string) => `${h.config.QUEUE_PREFIX}:actions:${id}`;
const pendingSteps = (incidentId: string) =>
  h.db
    .select()
    .from(scheduledActions)
    .where(
      and(
        eq(scheduledActions.incidentId, incidentId),
        eq(scheduledActions.status, 'pending'),
        eq(scheduledActions.kind, 'escalation-step'),
      ),
    );

describe('Redis loses every job', () => {
  it('when Redis is flushed while the bot is down, then after a restart every step of every escalation still fires, each exactly once', async () => {
    const declared = [];
    for (const n of [1, 2, 3]) declared.push(await declare(h, `Flushed escalation ${n}`));
    for (const incident of declared) await eventually(() => dmsTo(h, STEP_USERS[0], incident)[0], `step 1 of INC-${incident.number}`);
    await h.stopBot();

    // The next steps are pending in Postgres and delayed jobs in Redis, until the flush.
    const pending = (await Promise.all(declared.map((i) => pendingSteps(i.id)))).flat();
    expect(pending).toHaveLength(declared.length);
    for (const row of pending) expect(await redis.client().exists(jobKey(row.id))).toBe(1);
    await redis.flushAll();
    for (const row of pending) expect(await redis.client().exists(jobKey(row.id))).toBe(0);

    const restartedAt = Date.now();
    await h.restart();
    for (const incident of declared) {
      await eventually(
        async () => {
          const [e] = await h.db.select().from(escalations).where(eq(escalations.incidentId, incident.id));
          return e?.status === 'exhausted';
        },
        `the escalation of INC-${incident.number} to run to its end`,
        8000,
      );
    }
    // Steps 2 and 3 are 1.2 s apart: all done in a few seconds, not at the next minute's reconcile.
    expect(Date.now() - restartedAt).toBeLessThan(6000);
    expect(await metric(h.runtime.port, 'meridian_actions_reenqueued_total')).toBeGreaterThanOrEqual(declared.length);

    // Until the bot is idle (no job waiting, running or due, no due row: a stalled or re-added job
    // would show), then the count: nothing more can be sent (no re-enqueued duplicate).
    await h.idle();
    for (const incident of declared) {
      expect(await expectEachStepOnce(h, incident), `INC-${incident.number}`).toEqual({ dms: [1, 1, 1], rows: ALL_STEPS });
    }
  });

  it('when Redis is down at declaration, then the declaration still succeeds and once Redis is back the reconciler makes every step fire once', async () => {
    await redis.stop();
    const incident = await declare(h, 'Declared while Redis was down');
    // Recorded in Postgres, nothing delivered: the jobs never reached Redis.
    const rows = await h.db.select().from(scheduledActions).where(eq(scheduledActions.incidentId, incident.id));
    // The status-update reminder is pending too, an hour or more away.
    expect(rows.map((r) => `${r.kind}:${r.status}`).sort()).toEqual([
      'escalation-step:pending',
      'set-up-channel:pending',
      'update-reminder:pending',
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect(dmsTo(h, STEP_USERS[0], incident)).toHaveLength(0);

    await redis.start(); // empty: it saves nothing
    await eventually(() => dmsTo(h, STEP_USERS[0], incident)[0], 'the first page once Redis is back', 8000);
    await eventually(
      async () => (await h.db.select().from(incidents).where(eq(incidents.id, incident.id)))[0]?.cardTs,
      'the channel to be set up',
      5000,
    );
    await eventually(
      async () => {
        const [e] = await h.db.select().from(escalations).where(eq(escalations.incidentId, incident.id));
        return e?.status === 'exhausted';
      },
      'the escalation to run to its end',
      8000,
    );
    // Until the bot is idle (no job waiting, running or due, no due row: a stalled or re-added job
    // would show), then the count: nothing more can be sent.
    await h.idle();
    expect(await expectEachStepOnce(h, incident)).toEqual({ dms: [1, 1, 1], rows: ALL_STEPS });
  });
});
