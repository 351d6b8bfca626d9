import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStepUsers, metric } from '../durability/support.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import {
  allExhausted,
  type Declared,
  declareOn,
  FAULTS_BACKOFF_SCALE,
  FAULTS_RECONCILE_MS,
  faultsConfig,
  pageDeliveredAt,
  seconds,
  tallyPages,
} from './support.js';

/**
 * Slack answers 500 or 503 to every Web API call for FAULTS_SLACK_OUTAGE_S seconds (default 20,
 * at the suite's time scale: see FAULTS_RECONCILE_MS in support.ts; bench/slack-outage-long.ts
 * runs 120 s at production's), with escalation steps due throughout; then it recovers. The
 * gateway's retries, the job's retries and, once they are spent, the reconciler bring every step
 * back: afterwards each person has exactly one page DM per step.
 */
const OUTAGE_S = Number(process.env.FAULTS_SLACK_OUTAGE_S ?? 20);
const WAIT_MINUTES = Math.max(0.02, OUTAGE_S / 60 / 6); // steps 2 and 3 fall inside the outage
let h: Harness;

beforeAll(async () => {
  h = await startHarness(import.meta.url, {
    meridian: faultsConfig({ waitMinutes: WAIT_MINUTES }),
    env: { JOB_BACKOFF_SCALE: FAULTS_BACKOFF_SCALE },
    reconcileEveryMs: FAULTS_RECONCILE_MS,
  });
  addStepUsers(h);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('Slack answers 5xx for minutes', () => {
  it(
    'when every Web API call fails for the outage, then once Slack recovers every step pages its person exactly once',
    async () => {
      const declared: Declared[] = [];
      for (let n = 0; n < 4; n += 1) declared.push(await declareOn(h, h.db, `Before the Slack outage ${n}`));
      for (const incident of declared)
        await eventually(() => pageDeliveredAt(h.fake, incident, 0), `step 1 of INC-${incident.number}`, 10_000);

      let n = 0;
      h.fake.fail('*', { kind: 'http', status: 500 }, { times: 1_000_000, when: () => n++ % 2 === 0 });
      h.fake.fail('*', { kind: 'http', status: 503 }, { times: 1_000_000 });
      const outageAt = Date.now();
      // Declared during the outage: recorded, and their pages wait for Slack.
      for (let i = 0; i < 2; i += 1) declared.push(await declareOn(h, h.db, `During the Slack outage ${i}`));
      await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_S * 1000 - (Date.now() - outageAt))));
      h.fake.clearFaults();
      const recoveredAt = Date.now();
      const failedCalls = h.fake.calls.filter((c) => c.at >= outageAt && c.at < recoveredAt && c.status >= 500).length;

      await allExhausted(h.db, declared, 150_000);
      const drained = Math.max(...declared.flatMap((i) => [0, 1, 2].map((s) => pageDeliveredAt(h.fake, i, s) ?? 0)));
      const sentinel = await declareOn(h, h.db, 'Sentinel after the Slack outage');
      await allExhausted(h.db, [sentinel], 2 * WAIT_MINUTES * 60_000 + 30_000);

      const tally = tallyPages(h.fake, [...declared, sentinel]);
      const reenqueued = await metric(h.runtime.port, 'meridian_actions_reenqueued_total');
      console.log(
        `faults: slack outage: ${tally.delivered} pages of ${tally.expected}, ${tally.lost} lost, ${tally.doubled} doubled, ` +
          `5xx for ${seconds(recoveredAt - outageAt)} s (${failedCalls} calls refused), backlog drained ${seconds(drained - recoveredAt)} s after recovery, ` +
          `${reenqueued} actions re-enqueued by the reconciler (every ${seconds(FAULTS_RECONCILE_MS)} s, backoff x${FAULTS_BACKOFF_SCALE})`,
      );
      expect(tally.perIncident).toEqual(Object.fromEntries(Object.keys(tally.perIncident).map((k) => [k, [1, 1, 1]])));
    },
    (OUTAGE_S + 240) * 1000,
  );
});
