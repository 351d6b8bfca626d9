import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStepUsers, metric } from '../durability/support.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import {
  allExhausted,
  type Declared,
  declareOn,
  type DurableRedis,
  FAULTS_RECONCILE_MS,
  faultsConfig,
  pageDeliveredAt,
  seconds,
  startDurableRedis,
  tallyPages,
} from './support.js';

/**
 * Redis restarted, not flushed: a redis-server of this file's own with an fsynced append-only
 * file is stopped (SIGTERM) while escalations wait for their next steps, and started again on the
 * same port and directory. The delayed jobs come back from the file; a follow-up step planned
 * while Redis was down is enqueued as soon as Redis is back, else by the reconciler (every
 * FAULTS_RECONCILE_MS, 5 s; a minute in production). Every step pages its person once.
 */
const WAIT_MINUTES = 0.05; // 3 s between steps
let h: Harness;
let redis: DurableRedis;

beforeAll(async () => {
  redis = await startDurableRedis();
  h = await startHarness(import.meta.url, {
    meridian: faultsConfig({ waitMinutes: WAIT_MINUTES }),
    env: { REDIS_URL: redis.url, JOB_LOCK_MS: '2000' },
    reconcileEveryMs: FAULTS_RECONCILE_MS,
  });
  addStepUsers(h);
}, 60_000);
afterAll(async () => {
  await h?.close();
  await redis?.destroy();
});

describe('Redis restarted mid-escalation', () => {
  it('when Redis restarts while steps are due, then every step still pages its person once, from the jobs Redis kept', async () => {
    const declared: Declared[] = [];
    for (let n = 0; n < 6; n += 1) declared.push(await declareOn(h, h.db, `Redis restart ${n}`));
    for (const incident of declared)
      await eventually(() => pageDeliveredAt(h.fake, incident, 0), `step 1 of INC-${incident.number}`, 10_000);

    await redis.stop();
    const downAt = Date.now();
    await new Promise((r) => setTimeout(r, 2000)); // the outage itself: Redis is down 2 s
    await redis.start();
    const upAt = Date.now();
    for (let n = 0; n < 3; n += 1) declared.push(await declareOn(h, h.db, `After the Redis restart ${n}`));

    // A step that ran while Redis was down committed its next step but could not enqueue it: the
    // reconnect's re-send or the reconciler's next run does, so such a step may be up to a reconcile late.
    await allExhausted(h.db, declared, 90_000);
    // The positive sentinel: declared after the others ended; a late duplicate would precede its end.
    const sentinel = await declareOn(h, h.db, 'Sentinel after the Redis restart');
    await allExhausted(h.db, [sentinel], 20_000);

    const tally = tallyPages(h.fake, [...declared, sentinel]);
    const reenqueued = await metric(h.runtime.port, 'meridian_actions_reenqueued_total');
    const firstAfter = Math.min(...declared.slice(0, 6).map((i) => pageDeliveredAt(h.fake, i, 1) ?? Number.POSITIVE_INFINITY));
    const lateness = declared.flatMap((i) =>
      [1, 2].map((s) => (pageDeliveredAt(h.fake, i, s) ?? 0) - (pageDeliveredAt(h.fake, i, s - 1) ?? 0) - WAIT_MINUTES * 60_000),
    );
    console.log(
      `faults: redis restart: ${tally.delivered} pages of ${tally.expected}, ${tally.lost} lost, ${tally.doubled} doubled, down ${seconds(upAt - downAt)} s, ` +
        `first step-2 page ${seconds(firstAfter - upAt)} s after it was back, ${reenqueued} actions re-enqueued by the reconciler, latest step ${seconds(Math.max(...lateness))} s late`,
    );
    expect(tally.perIncident).toEqual(Object.fromEntries(Object.keys(tally.perIncident).map((k) => [k, [1, 1, 1]])));
  }, 150_000);
});
