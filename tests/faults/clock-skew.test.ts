import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startMeridian, type Runtime } from '../../src/runtime.js';
import { addStepUsers } from '../durability/support.js';
import { startHarness, type Harness } from '../support/meridian-harness.js';
import { allExhausted, type Declared, declareOn, faultsConfig, pageDeliveredAt, seconds, tallyPages } from './support.js';

/**
 * Two replicas whose clocks are 30 s apart (in this process: the second's injected clock runs
 * 30 s ahead; BullMQ and Redis keep the real clock) share Postgres and Redis, declare incidents
 * and run steps, and both reconcilers run every second. No page is doubled or lost; the test
 * reports how far the gaps between steps stray from the policy's wait.
 */
const SKEW_MS = 30_000;
const WAIT_MINUTES = 0.02; // 1.2 s between steps
let h: Harness;
let ahead: Runtime | undefined;

beforeAll(async () => {
  const meridian = faultsConfig({ waitMinutes: WAIT_MINUTES });
  h = await startHarness(import.meta.url, { meridian, env: { JOB_LOCK_MS: '2000' }, reconcileEveryMs: 1000 });
  addStepUsers(h);
  ahead = await startMeridian(h.config, {
    logger: pino({ level: 'silent' }),
    meridian: {
      ...meridian,
      limits: {
        declare: { perUserPerHour: 10_000, perTeamPerHour: 10_000 },
        escalate: { perUserPerHour: 10_000, perTeamPerHour: null },
        review: { perUserPerHour: 10_000, perTeamPerHour: null },
        override: { perUserPerHour: 10_000, perTeamPerHour: null },
      },
    },
    clock: () => new Date(Date.now() + SKEW_MS),
    reconcileEveryMs: 1000,
  });
}, 60_000);
afterAll(async () => {
  await ahead?.close();
  await h?.close();
});

describe('two replicas 30 s apart', () => {
  it('when both declare and run steps, then every step pages its person once', async () => {
    const urls = [h.eventsUrl, `http://127.0.0.1:${ahead!.port}/slack/events`];
    const declared: Declared[] = [];
    for (let n = 0; n < 8; n += 1) declared.push(await declareOn(h, h.db, `Skewed replicas ${n}`, urls[n % 2]));
    await allExhausted(h.db, declared, 60_000);
    const sentinel = await declareOn(h, h.db, 'Sentinel after the skew', urls[0]);
    await allExhausted(h.db, [sentinel], 30_000);

    const tally = tallyPages(h.fake, [...declared, sentinel]);
    const gaps = declared.flatMap((i) =>
      [1, 2].map((s) => (pageDeliveredAt(h.fake, i, s) ?? 0) - (pageDeliveredAt(h.fake, i, s - 1) ?? 0)),
    );
    console.log(
      `faults: clock skew ${SKEW_MS / 1000} s: ${tally.delivered} pages of ${tally.expected}, ${tally.lost} lost, ${tally.doubled} doubled, ` +
        `gaps between steps ${seconds(Math.min(...gaps))}-${seconds(Math.max(...gaps))} s (policy wait ${seconds(WAIT_MINUTES * 60_000)} s)`,
    );
    expect(tally.perIncident).toEqual(Object.fromEntries(Object.keys(tally.perIncident).map((k) => [k, [1, 1, 1]])));
  }, 120_000);
});
