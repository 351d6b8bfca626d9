import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import { scheduledActions } from '../../src/db/schema/index.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';

/**
 * The example schedule with an on-call group on the schedule (S0ONCALL01), one on EMEA's layer
 * (S0ONCALLEU), and one on AMER's that Slack does not have (S0GONE0001). The bot's clock starts
 * Monday 2 March 2026 10:30 UTC: EMEA's U0DUC0003 is on call; AMER's U0LAA0001 takes over at 18:00.
 */
let now = new Date('2026-03-02T10:30:00Z');
let h: Harness;

function configWithGroups(): MeridianConfig {
  const yaml = readFileSync('config/meridian.example.yaml', 'utf8')
    .replace('    layers:                           # where', '    user_group: S0ONCALL01\n    layers:                           # where')
    .replace('      - name: EMEA\n', '      - name: EMEA\n        user_group: S0ONCALLEU\n')
    .replace('      - name: AMER\n', '      - name: AMER\n        user_group: S0GONE0001\n');
  const parsed = parseMeridianConfig(yaml, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

const updatesOf = (group: string) =>
  h.fake.callsTo('usergroups.users.update').filter((c) => c.args['usergroup'] === group && c.status === 200);
const refusalDms = () =>
  h.fake.callsTo('chat.postMessage').filter((c) => c.status === 200 && String(c.args['text']).includes('`S0GONE0001`'));
const syncRows = async () => h.db.select().from(scheduledActions).where(eq(scheduledActions.kind, 'user-group-sync'));

beforeAll(async () => {
  h = await startHarness(import.meta.url, {
    meridian: configWithGroups(),
    clock: () => now,
    reconcileEveryMs: 200,
    env: { JOB_BACKOFF_SCALE: '0.01' },
  });
  // The fake refuses people it does not know in a group (invalid_users), as Slack does.
  for (const id of ['U0DUC0003', 'U0LAA0001', 'U0SGA0001', 'U0ADMIN001', 'U0OLD0001'])
    h.fake.addUser({ id, name: id.toLowerCase(), tz: 'UTC' });
  h.fake.addUsergroup('S0ONCALL01', ['U0OLD0001']);
  h.fake.addUsergroup('S0ONCALLEU', ['U0DUC0003']);
});
afterAll(async () => {
  await h?.close();
});

describe('on-call Slack user groups', () => {
  it('when the bot starts mid-shift, then the schedule group is set once to who is on call, and a group that already lists them is left alone', async () => {
    await eventually(() => updatesOf('S0ONCALL01').length === 1 || undefined, 'the schedule group updated');
    await h.idle();
    expect(updatesOf('S0ONCALL01').map((c) => c.args['users'])).toEqual(['U0DUC0003']);
    expect(h.fake.state.usergroups.get('S0ONCALL01')).toEqual(['U0DUC0003']);
    // EMEA's group already lists EMEA's on-call person: read, not written.
    expect(h.fake.callsTo('usergroups.users.list').some((c) => c.args['usergroup'] === 'S0ONCALLEU')).toBe(true);
    expect(updatesOf('S0ONCALLEU')).toEqual([]);
    // Planned ahead, once per change and group however often the planner runs (every 200 ms here).
    await new Promise((r) => setTimeout(r, 300));
    const keys = (await syncRows()).map((r) => r.dedupeKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain(`usergroup:S0ONCALL01:tns-follow-the-sun::${Date.parse('2026-03-02T18:00:00Z')}`);
  });

  it("when AMER takes over at 18:00 UTC, then the schedule group holds AMER's person, EMEA's group keeps its last member, and a group Slack does not have is told to the admins once", async () => {
    now = new Date('2026-03-02T18:00:05Z');
    await h.advance(0);
    await eventually(() => updatesOf('S0ONCALL01').length === 2 || undefined, 'the handoff update');
    await eventually(() => refusalDms().length === 1 || undefined, 'the admins told');
    expect(h.fake.state.usergroups.get('S0ONCALL01')).toEqual(['U0LAA0001']);
    // EMEA is off duty: a group cannot be emptied, so it keeps U0DUC0003 and is not written.
    expect(updatesOf('S0ONCALLEU')).toEqual([]);
    expect(h.fake.state.usergroups.get('S0ONCALLEU')).toEqual(['U0DUC0003']);
    const dm = refusalDms()[0];
    expect(String(dm?.args['text'])).toContain('no_such_subteam');
    expect(String(dm?.args['text'])).toContain('<@U0LAA0001>');
    // Never a mention of the group itself: that would notify everyone in it.
    expect(String(dm?.args['text'])).not.toContain('<!subteam^');
    // Loud on /metrics too, and the row stays pending with Slack's code, retried until fixed.
    const metrics = await (await fetch(`http://127.0.0.1:${h.runtime.port}/metrics`)).text();
    expect(metrics).toMatch(/meridian_user_group_sync_failures_total\{code="no_such_subteam"\} [1-9]/);
    const gone = async () => (await syncRows()).filter((r) => (r.data as { groupId: string }).groupId === 'S0GONE0001');
    const retried = await eventually(async () => (await gone()).find((r) => r.status === 'pending' && r.attempts >= 2), 'a retry');
    expect(retried.lastError).toContain('no_such_subteam');
    expect(refusalDms()).toHaveLength(1);
  });

  it('when the 18:00 handoff runs again (a retry), then the group is read and nothing is written', async () => {
    const [done] = (await syncRows()).filter(
      (r) => r.dedupeKey === `usergroup:S0ONCALL01:tns-follow-the-sun::${Date.parse('2026-03-02T18:00:00Z')}`,
    );
    expect(done?.status).toBe('done');
    const listsBefore = h.fake.callsTo('usergroups.users.list').filter((c) => c.args['usergroup'] === 'S0ONCALL01').length;
    await h.db.update(scheduledActions).set({ status: 'pending', finishedAt: null }).where(eq(scheduledActions.id, done!.id));
    await eventually(
      () => h.fake.callsTo('usergroups.users.list').filter((c) => c.args['usergroup'] === 'S0ONCALL01').length > listsBefore || undefined,
      'the retried run reading the group',
    );
    await eventually(
      async () => (await syncRows()).find((r) => r.id === done!.id)?.status === 'skipped' || undefined,
      'the retry finished',
    );
    expect(updatesOf('S0ONCALL01')).toHaveLength(2);
    expect(h.fake.state.usergroups.get('S0ONCALL01')).toEqual(['U0LAA0001']);
  });

  it("when an admin sets an override for 18:30-20:00, then the schedule group holds the cover during it and AMER's person again after", async () => {
    const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);
    const reply = await h.submitView(
      {
        id: 'V0GROUPOVR1',
        callback_id: 'oncall_override',
        state: {
          values: {
            schedule: { value: { type: 'static_select', selected_option: { value: 'tns-follow-the-sun' } } },
            user: { value: { type: 'users_select', selected_user: 'U0SGA0001' } },
            from: { value: { type: 'datetimepicker', selected_date_time: epoch('2026-03-02T18:30:00Z') } },
            to: { value: { type: 'datetimepicker', selected_date_time: epoch('2026-03-02T20:00:00Z') } },
            reason: { value: { type: 'plain_text_input', value: null } },
          },
        },
      },
      { userId: 'U0ADMIN001' },
    );
    expect(reply.status).toBe(200);
    // Planned when the override is saved, not at the next planner run.
    const key = (iso: string) => `usergroup:S0ONCALL01:tns-follow-the-sun::${Date.parse(iso)}`;
    await eventually(
      async () => (await syncRows()).some((r) => r.dedupeKey === key('2026-03-02T18:30:00Z')) || undefined,
      'the override planned',
    );
    expect((await syncRows()).some((r) => r.dedupeKey === key('2026-03-02T20:00:00Z'))).toBe(true);

    now = new Date('2026-03-02T18:30:02Z');
    await h.advance(0);
    await eventually(() => updatesOf('S0ONCALL01').length === 3 || undefined, 'the override start');
    expect(h.fake.state.usergroups.get('S0ONCALL01')).toEqual(['U0SGA0001']);
    now = new Date('2026-03-02T20:00:02Z');
    await h.advance(0);
    await eventually(() => updatesOf('S0ONCALL01').length === 4 || undefined, 'the override end');
    expect(h.fake.state.usergroups.get('S0ONCALL01')).toEqual(['U0LAA0001']);
    // A hub's group follows an override only in the hub's own hours: EMEA is off duty, still untouched.
    expect(updatesOf('S0ONCALLEU')).toEqual([]);
  });
});
