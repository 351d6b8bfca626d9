import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { escalations } from '../../src/db/schema/index.js';
import { addStepUsers, declare, dmsTo, durabilityConfig, STEP_USERS } from '../durability/support.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';

/**
 * The harness's advance(ms) and idle(), on which absence checks rest: a step ten minutes away
 * runs when the clock is advanced past it (and not before), and idle() returns only once it ran.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness(import.meta.url, { meridian: durabilityConfig({ firstWaitMinutes: 10 }) });
  addStepUsers(h);
});
afterAll(async () => {
  await h?.close();
});

describe('moving the bot clock in tests', () => {
  it('when the clock is advanced past a step ten minutes away, then it pages at once, and idle() returns only once it ran', async () => {
    const incident = await declare(h, 'Advanced past the first wait');
    await eventually(() => dmsTo(h, STEP_USERS[0], incident)[0], 'the first page');
    await h.idle();
    expect(dmsTo(h, STEP_USERS[1], incident)).toHaveLength(0); // ten minutes away: idle() runs nothing early

    await h.advance(9 * 60_000);
    await h.idle();
    expect(dmsTo(h, STEP_USERS[1], incident)).toHaveLength(0); // a minute short

    const before = Date.now();
    await h.advance(60_000);
    await h.idle();
    expect(dmsTo(h, STEP_USERS[1], incident)).toHaveLength(1); // no waiting after idle(): it ran
    expect(Date.now() - before).toBeLessThan(10_000);

    await h.advance(1200); // the last step's 1.2 s wait
    await h.idle();
    expect(dmsTo(h, STEP_USERS[2], incident)).toHaveLength(1);
    await h.advance(1200); // after the last step's wait, with no repeat, the escalation ends
    await h.idle();
    const [escalation] = await h.db.select().from(escalations).where(eq(escalations.incidentId, incident.id));
    expect(escalation!.status).toBe('exhausted');
  });
});
