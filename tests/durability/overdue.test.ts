import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { escalations, scheduledActions } from '../../src/db/schema/index.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { ALL_STEPS, addStepUsers, declare, dmsTo, durabilityConfig, expectEachStepOnce, metric, STEP_USERS } from './support.js';

/**
 * A step more than a minute overdue is fired by the reconciler and reported. The bot's clock
 * jumps two minutes while it is down, so the step looks two minutes overdue to it, while its
 * BullMQ job is still delayed by the 30 s the policy waits after step 1: a page of step 2
 * within seconds can only come from the reconciler promoting the job.
 */
let h: Harness;
let offsetMs = 0;

beforeAll(async () => {
  h = await startHarness(import.meta.url, {
    meridian: durabilityConfig({ firstWaitMinutes: 0.5 }),
    env: { JOB_LOCK_MS: '2000' },
    clock: () => new Date(Date.now() + offsetMs),
    reconcileEveryMs: 60_000, // only the start-up run of the reconciler is under test
  });
  addStepUsers(h);
});
afterAll(async () => {
  await h?.close();
});

describe('a step more than a minute overdue', () => {
  it('when the bot comes back and a step is over a minute overdue, then the reconciler fires it at once and counts it in meridian_overdue_actions_fired_total', async () => {
    const incident = await declare(h, 'Overdue while the bot was away');
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
    expect(next!.dueAt.getTime() - Date.now()).toBeGreaterThan(20_000);

    offsetMs = 2 * 60_000;
    const back = Date.now();
    await h.restart();
    const dm = await eventually(() => dmsTo(h, STEP_USERS[1], incident)[0], 'the overdue step to page at once', 5000);
    expect(dm.at - back).toBeLessThan(5000); // BullMQ alone would wait ~30 s
    expect(await metric(h.runtime.port, 'meridian_overdue_actions_fired_total')).toBe(1);

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
