import { afterAll, describe, expect, it } from 'vitest';
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

/**
 * Slack's scopes, end to end: the fake installs the bot with the manifest's scopes (or fewer), and
 * refuses a call without its scope as Slack does. The wellbeing nudge is a DM that goes through
 * postOnce's history read (conversations.history on the DM: im:history).
 */
// One bot at a time: both tests use this file's database and queue prefix.
let current: Harness | undefined;
async function start(opts: Parameters<typeof startHarness>[1]): Promise<Harness> {
  await current?.close();
  current = await startHarness(import.meta.url, opts);
  return current;
}
afterAll(async () => {
  await current?.close();
});

describe('a bot whose token lacks im:history', () => {
  it('when it starts, then it says which scope is missing and what breaks, /healthz and /metrics show it; the nudge waits, pending, and goes out once when the scope is granted', async () => {
    const logs = captureLogs();
    const h = await start({
      meridian: wellbeingConfig(),
      clock: mondayClock(),
      reconcileEveryMs: 200,
      logger: logs.logger,
      slackScopes: scopesWithout('im:history'),
    });

    // At start: one plain sentence naming the scope, what breaks, and the fix.
    const [sentence] = await eventually(() => {
      const found = logs.matching('im:history', 'reinstall the app from manifests/slack-app.yaml');
      return found.length > 0 ? found : undefined;
    }, 'the start-up scope sentence');
    expect(sentence?.msg).toContain('wellbeing nudges');
    expect(sentence?.level).toBeGreaterThanOrEqual(50);
    const health = await healthz(h);
    expect(health).toMatchObject({
      status: 200,
      body: {
        status: 'attention',
        slack: { missingScopes: [{ scope: 'im:history' }], fix: 'reinstall the app from manifests/slack-app.yaml' },
      },
    });
    expect(await metricsText(h)).toContain('meridian_slack_scope_missing{scope="im:history"} 1');

    // Slack's answer to the first nudge is lost (a 503): before posting again, the bot looks for the
    // DM it may have sent, which reads the DM's history and so needs im:history. (A nudge on time
    // posts without reading; a retry, a late run or a crash between Slack's answer and the record reads.)
    h.fake.fail(
      'chat.postMessage',
      { kind: 'http', status: 503 },
      { times: 1, when: (args) => args.channel === COMMANDER && JSON.stringify(args).includes(NUDGE) },
    );
    await startExposure(h, 'Exploitation report from a partner');

    // Slack refuses the history read: the log names the real cause, the row stays pending with it, the admins are told once.
    const failed = await eventually(
      async () => (await exposureChecks(h)).find((r) => r.lastError?.includes('im:history')),
      'the refused nudge',
      20_000,
    );
    expect(failed.status).toBe('pending');
    expect(failed.lastError).toContain('Reinstall the app from manifests/slack-app.yaml');
    expect(logs.matching('Slack conversations.history refused', 'needs im:history').length).toBeGreaterThan(0);
    expect(logs.matching('rejected our credentials')).toEqual([]);
    const adminNotices = () =>
      h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === ADMIN && JSON.stringify(c.args).includes('im:history'));
    await eventually(() => adminNotices().length === 1, 'the admins to be told');
    expect(await metricsText(h)).toMatch(/meridian_slack_refusals_total\{method="conversations.history",code="missing_scope"\} [1-9]/);
    expect(nudgesTo(h, COMMANDER)).toEqual([]);

    // Reinstalled with the manifest's scopes: the same pending check delivers, once.
    h.fake.grantScopes(['im:history']);
    await eventually(() => nudgesTo(h, COMMANDER).length === 1, 'the nudge after the scope is granted', 30_000);
    await eventually(async () => (await exposureChecks(h)).some((r) => r.id === failed.id && r.status === 'done'), 'the check to be done');
    await eventually(async () => (await healthz(h)).body['status'] === 'ok', '/healthz to clear after the reinstall', 10_000);
    expect(await metricsText(h)).toContain('meridian_slack_scope_missing{scope="im:history"} 0');
    expect(nudgesTo(h, COMMANDER)).toHaveLength(1);
    expect(adminNotices()).toHaveLength(1);
  }, 90_000);
});

describe('a bot installed from the manifest as shipped', () => {
  it('when it starts, then nothing is missing, and the nudge goes out once', async () => {
    const logs = captureLogs();
    const h = await start({ meridian: wellbeingConfig(), clock: mondayClock(), reconcileEveryMs: 200, logger: logs.logger });

    await eventually(() => logs.matching('has every scope this version of Meridian needs').length === 1, 'the scope check');
    expect((await healthz(h)).body).toMatchObject({ status: 'ok' });
    await startExposure(h, 'Self-harm content wave');
    await eventually(() => nudgesTo(h, COMMANDER).length === 1, 'the nudge', 20_000);
    await eventually(async () => (await exposureChecks(h)).some((r) => r.status === 'done'), 'the check to be done');
    expect(nudgesTo(h, COMMANDER)).toHaveLength(1);
    expect(h.fake.calls.filter((c) => (c.response as { error?: string } | undefined)?.error === 'missing_scope')).toEqual([]);
  }, 60_000);
});
