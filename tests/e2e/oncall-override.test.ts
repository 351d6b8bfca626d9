import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import { auditLog, scheduledActions, scheduleOverrides } from '../../src/db/schema/index.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { waitForPrivateReply } from '../support/replies.js';

/** Monday 2 March 2026, 10:30 UTC. */
const NOW = new Date('2026-03-02T10:30:00Z');
const SCHEDULE = 'tns-follow-the-sun';

let h: Harness;
let viewSeq = 0;

function exampleConfig(): MeridianConfig {
  const parsed = parseMeridianConfig(readFileSync('config/meridian.example.yaml', 'utf8'), 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

const epoch = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

function overrideView(fields: {
  schedule?: string | null;
  user?: string | null;
  from?: string | null;
  to?: string | null;
  reason?: string;
}) {
  viewSeq += 1;
  return {
    id: `V0OVR${String(viewSeq).padStart(5, '0')}`,
    callback_id: 'oncall_override',
    state: {
      values: {
        schedule: { value: { type: 'static_select', selected_option: fields.schedule ? { value: fields.schedule } : null } },
        user: { value: { type: 'users_select', selected_user: fields.user ?? null } },
        from: { value: { type: 'datetimepicker', selected_date_time: fields.from ? epoch(fields.from) : null } },
        to: { value: { type: 'datetimepicker', selected_date_time: fields.to ? epoch(fields.to) : null } },
        reason: { value: { type: 'plain_text_input', value: fields.reason ?? null } },
      },
    },
  };
}

async function overrideRows() {
  return h.db.select().from(scheduleOverrides).where(eq(scheduleOverrides.source, 'slack'));
}

async function oncallText(text: string): Promise<string> {
  const reply = await h.command(text, { command: '/oncall', userId: 'U0DECL001' });
  return (reply.json as { text: string }).text;
}

beforeAll(async () => {
  h = await startHarness(import.meta.url, { meridian: exampleConfig(), clock: () => NOW });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.fake.reset();
});

describe('setting an on-call override from Slack', () => {
  it('when the end is before the start, then the modal shows the error on "to" and nothing is stored', async () => {
    const reply = await h.submitView(
      overrideView({ schedule: SCHEDULE, user: 'U0RESP001', from: '2026-03-03T13:00:00Z', to: '2026-03-03T09:00:00Z' }),
    );
    expect(reply.json).toEqual({ response_action: 'errors', errors: { to: 'The end must be after the start.' } });
    expect(await overrideRows()).toHaveLength(0);
  });

  it('when the cover is entirely in the past, then the modal says so on "to"', async () => {
    const reply = await h.submitView(
      overrideView({ schedule: SCHEDULE, user: 'U0RESP001', from: '2026-03-01T09:00:00Z', to: '2026-03-01T13:00:00Z' }),
    );
    expect(reply.json).toMatchObject({ response_action: 'errors', errors: { to: expect.stringMatching(/entirely in the past/) } });
  });

  it('when fields are missing or the schedule is unknown, then each error lands on its own block', async () => {
    const empty = await h.submitView(overrideView({}));
    expect(empty.json).toMatchObject({
      response_action: 'errors',
      errors: { schedule: 'Choose a schedule.', user: 'Choose who covers.', from: expect.any(String), to: expect.any(String) },
    });
    const unknown = await h.submitView(
      overrideView({ schedule: 'tns-moon', user: 'U0RESP001', from: '2026-03-03T09:00:00Z', to: '2026-03-03T13:00:00Z' }),
    );
    expect(unknown.json).toMatchObject({ response_action: 'errors', errors: { schedule: expect.stringMatching(/no longer exists/) } });
    expect(await overrideRows()).toHaveLength(0);
    expect(await h.db.select().from(auditLog).where(eq(auditLog.action, 'oncall.override'))).toHaveLength(0);
  });

  it('when the schedule manager submits a valid override, then it is stored and audited, changes /oncall at, plans a notice and confirms by DM', async () => {
    const before = await oncallText('at 2026-03-03T10:30Z');
    expect(before).toContain('<@U0DUC0003>, EMEA');

    const reply = await h.submitView(
      overrideView({
        schedule: SCHEDULE,
        user: 'U0RESP001',
        from: '2026-03-03T09:00:00Z',
        to: '2026-03-03T13:00:00Z',
        reason: 'Dentist <!channel>',
      }),
      { userId: 'U0LEAD0001' },
    );
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');

    const [row] = await overrideRows();
    expect(row).toMatchObject({ scheduleId: SCHEDULE, userId: 'U0RESP001', createdBy: 'U0LEAD0001', source: 'slack' });
    expect(row?.startsAt.toISOString()).toBe('2026-03-03T09:00:00.000Z');
    expect(row?.endsAt.toISOString()).toBe('2026-03-03T13:00:00.000Z');
    const [audit] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'oncall.override'));
    expect(audit).toMatchObject({ actorId: 'U0LEAD0001', outcome: 'ok' });
    expect(audit?.details).toMatchObject({ overrideId: row?.id, scheduleId: SCHEDULE, userId: 'U0RESP001', reason: 'Dentist <!channel>' });

    const after = await oncallText('at 2026-03-03T10:30Z');
    expect(after).toContain('<@U0RESP001> by *override*');
    expect(after).toContain(`until <!date^${epoch('2026-03-03T13:00:00Z')}^`);

    const notice = await eventually(async () => {
      const [planned] = await h.db
        .select()
        .from(scheduledActions)
        .where(eq(scheduledActions.dedupeKey, `handoff:${SCHEDULE}:${Date.parse('2026-03-03T09:00:00Z')}:U0RESP001`));
      return planned;
    }, 'the handoff notice for the cover');
    expect(notice).toMatchObject({ kind: 'handoff-notice', status: 'pending', incidentId: null });
    expect(notice.data).toEqual({
      scheduleId: SCHEDULE,
      at: '2026-03-03T09:00:00.000Z',
      fromUser: 'U0SGA0001',
      toUser: 'U0RESP001',
      layerName: 'APAC',
      timeZone: 'Asia/Singapore',
    });

    const toAuthor = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0LEAD0001');
    expect(toAuthor.args.text).toContain(':white_check_mark: Override saved: <@U0RESP001> covers');
    expect(toAuthor.args.text).toContain('Dentist &lt;!channel&gt;');
    const toCover = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0RESP001');
    expect(toCover.args.text).toContain('<@U0LEAD0001> set you to cover');
    // Whoever had those hours is told: APAC's on-call at 09:00Z, EMEA's from its handoff.
    for (const displaced of ['U0SGA0001', 'U0DUC0003']) {
      const told = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === displaced);
      expect(told.args.text).toContain('<@U0RESP001> covers your on-call on *Trust &amp; Safety follow-the-sun*');
      expect(told.args.text).toContain('(set by <@U0LEAD0001>)');
    }
  });
});

async function auditOf(action: string, actorId: string) {
  return h.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.actorId, actorId)));
}

describe('who may set an on-call override', () => {
  it('when an outsider puts themselves or someone else on call, then it is refused naming the managers and admins, nothing is stored, and each attempt is audited', async () => {
    const before = (await overrideRows()).length;
    const self = await h.submitView(
      overrideView({ schedule: SCHEDULE, user: 'U0OUTSID1', from: '2026-03-02T10:29:00Z', to: '2026-03-02T11:30:00Z' }),
      { userId: 'U0OUTSID1' },
    );
    expect(self.json).toEqual({
      response_action: 'errors',
      errors: {
        schedule: expect.stringMatching(/^Only its managers \(@U0LEAD0001\) or an admin \(@U0ADMIN001\) can set this override\./),
      },
    });
    const other = await h.submitView(
      overrideView({ schedule: SCHEDULE, user: 'U0RESP002', from: '2026-03-02T11:00:00Z', to: '2026-05-31T11:00:00Z' }),
      { userId: 'U0OUTSID1' },
    );
    expect(other.json).toMatchObject({ response_action: 'errors', errors: { schedule: expect.stringContaining('@U0ADMIN001') } });
    expect(await overrideRows()).toHaveLength(before);
    const refused = await auditOf('oncall.override', 'U0OUTSID1');
    expect(refused.map((r) => [r.outcome, (r.details as { userId: string }).userId]).sort()).toEqual([
      ['refused', 'U0OUTSID1'],
      ['refused', 'U0RESP002'],
    ]);
    // The confirmation DMs of a saved override would come first; a later, allowed override's confirmation is the sentinel.
    await h.submitView(overrideView({ schedule: SCHEDULE, user: 'U0RESP003', from: '2026-03-04T09:00:00Z', to: '2026-03-04T10:00:00Z' }), {
      userId: 'U0ADMIN001',
    });
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0RESP003');
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0OUTSID1' || c.args.channel === 'U0RESP002')).toHaveLength(
      0,
    );
  });

  it("when a member swaps themselves in for the same layer's on-call, then it is saved, the person replaced gets a DM with Undo, and Undo removes it", async () => {
    // Real users, so the swap DM is a real message the Undo can update.
    for (const id of ['U0DUA0001', 'U0DUC0003', 'U0BYSTAND']) h.fake.addUser({ id, name: id.toLowerCase() });
    const reply = await h.submitView(
      overrideView({ schedule: SCHEDULE, user: 'U0DUA0001', from: '2026-03-04T13:00:00Z', to: '2026-03-04T15:00:00Z' }),
      { userId: 'U0DUA0001' },
    );
    expect(reply.text).toBe('');
    const [row] = (await overrideRows()).filter((r) => r.userId === 'U0DUA0001');
    expect(row).toMatchObject({ createdBy: 'U0DUA0001' });
    const [audit] = await auditOf('oncall.override', 'U0DUA0001');
    expect(audit?.details).toMatchObject({ overrideId: row?.id, as: 'swap', replaced: 'U0DUC0003' });

    const dm = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0DUC0003');
    expect(String(dm.args.text)).toContain('<@U0DUA0001> swapped themselves in for you');
    expect(JSON.stringify(dm.args.blocks)).toContain(`"value":"${row?.id}"`);

    await h.clickButton({ actionId: 'oncall_override_undo', value: row?.id ?? '', userId: 'U0BYSTAND', channelId: 'D0BYSTAND' });
    const refusal = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0BYSTAND');
    expect(String(refusal.args.text)).toContain('Only the person this override replaced');
    expect((await overrideRows()).filter((r) => r.id === row?.id)).toHaveLength(1);

    const dmTs = (dm.response as { ts: string }).ts;
    const dmChannel = (dm.response as { channel: string }).channel;
    await h.clickButton({
      actionId: 'oncall_override_undo',
      value: row?.id ?? '',
      userId: 'U0DUC0003',
      channelId: dmChannel,
      messageTs: dmTs,
    });
    // Answered through the click's response_url, in the DM where it was clicked.
    const undone = await waitForPrivateReply(h.fake, (c) => c.args.user === 'U0DUC0003' && String(c.args.text).includes('Undone'));
    expect(String(undone.args.text)).toContain("<@U0DUA0001>'s swap");
    expect((await overrideRows()).filter((r) => r.id === row?.id)).toHaveLength(0);
    const toCover = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === 'U0DUA0001' && String(c.args.text).includes('undid'),
    );
    expect(String(toCover.args.text)).toContain('<@U0DUC0003> undid your swap');
    // The swap DM itself now says it was undone, by whom, and has no Undo button left.
    const updated = await h.fake.waitForCall('chat.update', (c) => c.args.ts === dmTs);
    expect(updated.args.channel).toBe(dmChannel);
    expect(String(updated.args.text)).toContain("<@U0DUA0001>'s swap");
    expect(String(updated.args.text)).toContain('was undone by <@U0DUC0003>');
    expect(JSON.stringify(updated.args.blocks)).not.toContain('oncall_override_undo');
    expect(await auditOf('oncall.override.undo', 'U0DUC0003')).toMatchObject([{ outcome: 'ok' }]);
    expect(await auditOf('oncall.override.undo', 'U0BYSTAND')).toMatchObject([{ outcome: 'refused' }]);
    expect(await oncallText('at 2026-03-04T14:00Z')).toContain('<@U0DUC0003>, EMEA');
  });

  it('when a member puts someone else in, or swaps in where their layer is off duty, then it is refused', async () => {
    const forOther = await h.submitView(
      overrideView({ schedule: SCHEDULE, user: 'U0DUB0002', from: '2026-03-03T10:30:00Z', to: '2026-03-03T12:00:00Z' }),
      { userId: 'U0DUA0001' },
    );
    expect(forOther.json).toMatchObject({ response_action: 'errors', errors: { schedule: expect.stringMatching(/^Only its managers/) } });
    const offDuty = await h.submitView(
      overrideView({ schedule: SCHEDULE, user: 'U0DUA0001', from: '2026-03-03T20:00:00Z', to: '2026-03-03T21:00:00Z' }),
      { userId: 'U0DUA0001' },
    );
    expect(offDuty.json).toMatchObject({ response_action: 'errors', errors: { schedule: expect.stringMatching(/^Only its managers/) } });
  });

  it('when a manager sets a 90-day override, then it needs an admin; an admin may set it', async () => {
    const before = (await overrideRows()).length;
    const view = { schedule: SCHEDULE, user: 'U0RESP004', from: '2026-03-05T09:00:00Z', to: '2026-06-03T09:00:00Z' };
    const byManager = await h.submitView(overrideView(view), { userId: 'U0LEAD0001' });
    expect(byManager.json).toEqual({
      response_action: 'errors',
      errors: { schedule: 'Overrides longer than 14 days need an admin (@U0ADMIN001).' },
    });
    expect(await overrideRows()).toHaveLength(before);
    expect((await auditOf('oncall.override', 'U0LEAD0001')).filter((r) => r.outcome === 'refused')).toHaveLength(1);
    const byAdmin = await h.submitView(overrideView(view), { userId: 'U0ADMIN001' });
    expect(byAdmin.text).toBe('');
    expect((await overrideRows()).filter((r) => r.userId === 'U0RESP004')).toHaveLength(1);
  });
});
