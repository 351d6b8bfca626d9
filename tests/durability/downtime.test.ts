import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { escalations, pages, scheduledActions } from '../../src/db/schema/index.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { ALL_STEPS, addStepUsers, declare, dmsTo, durabilityConfig, expectEachStepOnce, STEP_USERS } from './support.js';

/** A step that came due while no bot was running fires as soon as one is back (real time, shared Redis). */
let h: Harness;

beforeAll(async () => {
  // The periodic reconciler is out of the way (a minute): the delayed job itself must fire.
  h = await startHarness(import.meta.url, { meridian: durabilityConfig(), env: { JOB_LOCK_MS: '2000' }, reconcileEveryMs: 60_000 });
  addStepUsers(h);
});
afterAll(async () => {
  await h?.close();
});

describe('a step that came due while the bot was down', () => {
  it("when the bot is down past a step's due time, then that step pages as soon as the bot is back, once", async () => {
    const incident = await declare(h, 'Paging across a deploy');
    await eventually(() => dmsTo(h, STEP_USERS[0], incident)[0], 'the first page');
    await h.stopBot();
    const [next] = await h.db
      .select()
      .from(scheduledActions)
      .where(
        and(
          eq(scheduledActions.incidentId, incident.id),
          eq(scheduledActions.status, 'pending'),
          eq(scheduledActions.kind, 'escalation-step'),
        ),
      );
    expect(next).toBeDefined();
    // Stay down until the step is half a second overdue (the bot's clock is the real one here).
    await eventually(() => Date.now() > next!.dueAt.getTime() + 500, 'the step to come due while the bot is down', 5000);
    expect(dmsTo(h, STEP_USERS[1], incident)).toHaveLength(0);

    const back = Date.now();
    await h.restart();
    const up = Date.now();
    const dm = await eventually(() => dmsTo(h, STEP_USERS[1], incident)[0], 'the overdue step to page once the bot is back', 5000);
    // Promptly: within a second of the bot being up (its worker may even beat the HTTP server).
    expect(dm.at - up).toBeLessThan(1000);
    const [row] = await h.db
      .select()
      .from(pages)
      .where(and(eq(pages.incidentId, incident.id), eq(pages.userId, STEP_USERS[1])));
    expect(row!.pagedAt.getTime()).toBeGreaterThanOrEqual(back);

    // The rest of the escalation carries on as planned.
    await eventually(
      async () => (await h.db.select().from(escalations).where(eq(escalations.incidentId, incident.id)))[0]?.status === 'exhausted',
      'the escalation to end',
      6000,
    );
    // Until the bot is idle (no job waiting, running or due, no due row: a stalled or re-added job
    // would show), then the count: nothing more can be sent.
    await h.idle();
    expect(await expectEachStepOnce(h, incident)).toEqual({ dms: [1, 1, 1], rows: ALL_STEPS });
  });
});
