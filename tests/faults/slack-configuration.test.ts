import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { scheduledActions } from '../../src/db/schema/index.js';
import { addStepUsers } from '../durability/support.js';
import { eventually, type Harness, startHarness } from '../support/meridian-harness.js';
import {
  ADMIN,
  COMMANDER,
  captureLogs,
  exposureChecks,
  healthz,
  metricsText,
  mondayClock,
  NUDGE,
  nudgesTo,
  scopesWithout,
  startExposure,
  wellbeingConfig,
} from '../support/slack-configuration.js';
import { allExhausted, declareOn, faultsConfig, seconds, tallyPages } from './support.js';

/**
 * Slack refuses for configuration reasons: the app installed without a scope, the token revoked.
 * Neither is a silent drop: each is said in the log by its real cause and fix, counted on
 * /metrics, and the work it stopped waits, pending, and is delivered exactly once when fixed.
 */
let current: Harness | undefined;
async function start(opts: Parameters<typeof startHarness>[1]): Promise<Harness> {
  await current?.close();
  current = await startHarness(import.meta.url, opts);
  return current;
}
afterAll(async () => {
  await current?.close();
});

describe('the app was installed without im:history', () => {
  it('when a DM needs its history read, then the refusal is loud, the DM waits, and it goes out once the scope is granted', async () => {
    const logs = captureLogs();
    const h = await start({
      meridian: wellbeingConfig(),
      clock: mondayClock(),
      reconcileEveryMs: 500,
      logger: logs.logger,
      slackScopes: scopesWithout('im:history'),
    });
    await eventually(
      () => logs.matching('im:history', 'reinstall the app from manifests/slack-app.yaml').length === 1,
      'the start-up sentence',
    );
    expect((await healthz(h)).body).toMatchObject({ status: 'attention', slack: { missingScopes: [{ scope: 'im:history' }] } });

    // Slack's answer to the first nudge is lost (a 503): the retry looks for the DM it may have
    // sent, which reads the DM's history (a nudge on time posts without reading).
    h.fake.fail(
      'chat.postMessage',
      { kind: 'http', status: 503 },
      {
        times: 1,
        when: (args) => args.channel === COMMANDER && JSON.stringify(args).includes(NUDGE),
      },
    );
    await startExposure(h, 'Coordinated self-harm challenge');
    const refused = await eventually(
      async () => (await exposureChecks(h)).find((r) => r.status === 'pending' && r.lastError?.includes('im:history')),
      'the refused nudge',
      20_000,
    );
    // Retried while broken (the worker, then the reconciler), never dropped; each refusal counted.
    await eventually(async () => (await exposureChecks(h)).some((r) => r.id === refused.id && r.attempts >= 2), 'a second attempt', 30_000);
    const refusals = await metricsText(h);
    expect(refusals).toMatch(/meridian_slack_refusals_total\{method="conversations.history",code="missing_scope"\} [1-9]/);
    expect(nudgesTo(h, COMMANDER)).toEqual([]);
    const told = h.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === ADMIN && JSON.stringify(c.args).includes('im:history'));
    expect(told).toHaveLength(1);

    const grantedAt = Date.now();
    h.fake.grantScopes(['im:history']);
    await eventually(() => nudgesTo(h, COMMANDER).length === 1, 'the nudge once granted', 90_000);
    const deliveredAfter = Date.now() - grantedAt;
    await eventually(async () => (await healthz(h)).body['status'] === 'ok', '/healthz to clear');
    const row = await eventually(
      async () => (await h.db.select().from(scheduledActions).where(eq(scheduledActions.id, refused.id))).find((r) => r.status === 'done'),
      'the refused check to be done',
    );
    console.log(
      `faults: missing im:history: ${row?.attempts} attempts refused while broken; delivered ${seconds(deliveredAfter)} s after the scope was granted`,
    );
    expect(row?.status).toBe('done');
    expect(nudgesTo(h, COMMANDER)).toHaveLength(1);
  }, 180_000);
});

describe('the bot token was revoked', () => {
  it('when pages are due, then the refusal is loud, the steps wait, and a reinstall with a new token delivers each page once', async () => {
    const logs = captureLogs();
    const h = await start({ meridian: faultsConfig({ waitMinutes: 0.02 }), reconcileEveryMs: 1_000, logger: logs.logger });
    addStepUsers(h);
    const before = await declareOn(h, h.db, 'Before the token was revoked');
    await allExhausted(h.db, [before], 30_000);

    h.fake.revokeToken();
    const revokedAt = Date.now();
    const during = await declareOn(h, h.db, 'While the token is revoked');
    await eventually(() => logs.matching('the bot token was revoked', 'Reinstall the app').length > 0, 'the refusal in the log', 20_000);
    expect(logs.matching('rejected our credentials')).toEqual([]);
    await eventually(
      async () => (await metricsText(h)).match(/meridian_slack_refusals_total\{method="[^"]+",code="token_revoked"\} [1-9]/) !== null,
      'the refusal counted',
    );
    // The refusal is counted as Slack answers; the step's row records it when its run ends, a moment later.
    const waiting = await eventually(async () => {
      const rows = await h.db.select().from(scheduledActions).where(eq(scheduledActions.incidentId, during.id));
      return rows.some((r) => r.status === 'pending' && r.lastError?.includes('revoked')) ? rows : undefined;
    }, 'a step waiting with the refusal recorded');
    expect(waiting.filter((r) => r.status === 'pending' && r.lastError?.includes('revoked')).length).toBeGreaterThan(0);
    expect(tallyPages(h.fake, [during]).delivered).toBe(0);

    const fresh = h.fake.install();
    const fixedAt = Date.now();
    await h.restart({ SLACK_BOT_TOKEN: fresh });
    await allExhausted(h.db, [during], 120_000);
    const tally = tallyPages(h.fake, [before, during]);
    console.log(
      `faults: token revoked for ${seconds(fixedAt - revokedAt)} s: ${tally.delivered} pages of ${tally.expected}, ${tally.lost} lost, ${tally.doubled} doubled after a reinstall`,
    );
    expect(tally.perIncident).toEqual({ [`INC-${before.number}`]: [1, 1, 1], [`INC-${during.number}`]: [1, 1, 1] });
  }, 240_000);
});
