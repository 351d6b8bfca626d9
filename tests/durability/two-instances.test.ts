import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { escalations } from '../../src/db/schema/index.js';
import { startMeridian, type Runtime } from '../../src/runtime.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { ALL_STEPS, addStepUsers, declare, durabilityConfig, expectEachStepOnce } from './support.js';

/**
 * Two app processes on the same Postgres and Redis (two runtimes in this process, each with its
 * own pools, worker and reconciler): every step pages once, whichever instance took the
 * declaration or runs the step. Both reconcilers run every second, so each keeps re-adding what
 * it sees pending while the other's workers run it.
 */
let h: Harness;
let second: Runtime | undefined;

beforeAll(async () => {
  const meridian = durabilityConfig();
  h = await startHarness(import.meta.url, { meridian, env: { JOB_LOCK_MS: '2000' }, reconcileEveryMs: 1000 });
  addStepUsers(h);
  second = await startMeridian(h.config, { logger: pino({ level: 'silent' }), meridian, reconcileEveryMs: 1000 });
});
afterAll(async () => {
  await second?.close();
  await h?.close();
});

describe('two instances of the bot', () => {
  it('when incidents are declared on two instances sharing Postgres and Redis, then every step of every escalation pages each person once', async () => {
    const urls = [h.eventsUrl, `http://127.0.0.1:${second!.port}/slack/events`];
    const declared = await Promise.all([0, 1, 2, 3, 4, 5].map((n) => declare(h, `Shared escalation ${n}`, urls[n % 2])));
    for (const incident of declared) {
      await eventually(
        async () => (await h.db.select().from(escalations).where(eq(escalations.incidentId, incident.id)))[0]?.status === 'exhausted',
        `the escalation of INC-${incident.number} to end`,
        10_000,
      );
    }
    // Until the bot is idle (no job waiting, running or due, no due row: a stalled or re-added job
    // would show), then the count: nothing more can be sent.
    await h.idle();
    for (const incident of declared) {
      expect(await expectEachStepOnce(h, incident), `INC-${incident.number}`).toEqual({ dms: [1, 1, 1], rows: ALL_STEPS });
    }
  });
});
