import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { auditLog, incidentClocks, incidents, scheduledActions, timelineEntries } from '../../src/db/schema/index.js';
import { declareState, eventually, SIGNING_SECRET, startHarness, type Harness, LOST_ANSWER_MS } from '../support/meridian-harness.js';
import { eventBody, sendToSlackEndpoint } from '../support/slack-requests.js';
import { privateReplies } from '../support/replies.js';

// An hour, reminded half an hour before: the tests move the bot's clock (`advance`) instead of waiting.
const CONFIG = `
admins: [U0ADMIN001]
deadlines:
  - id: fast-order
    name: "Fast removal order"
    within_minutes: 60
    remind_before_minutes: [30]
    escalate_to: [{ user: U0LEGAL001 }]
    source: "Test Regulation, Art. 3(3)"
  - id: hour-order
    name: "Hour from receipt order"
    within_minutes: 60
    source: "Test Regulation, Art. 3(3)"
  - id: versioned
    name: "Versioned order (old)"
    within_minutes: 2160
    source: "Rules 2021"
  - id: versioned
    name: "Versioned order (new)"
    within_minutes: 180
    effective_from: 2026-02-20
    source: "Rules 2021 as amended in 2026"
categories:
  - { id: regulator-request, name: "Regulator request", default_severity: sev3, deadline: fast-order }
  - { id: child-safety, name: "Child safety", default_severity: sev3, private: true, deadline: fast-order }
  - { id: media-inquiry, name: "Media inquiry", default_severity: sev3 }
`;

let h: Harness;
let seq = 0;
const MINUTE = 60_000;
/** How far the tests have moved the bot's clock: it reads real time plus this. */
let advanced = 0;
const botNow = () => Date.now() + advanced;
/** Moves the bot's clock `ms` forward and waits until it has done what fell due. */
async function advance(ms: number, idleMs?: number) {
  advanced += ms;
  await h.advance(ms);
  await h.idle(idleMs);
}
const advanceTo = (at: number, idleMs?: number) => advance(Math.max(0, at - botNow()), idleMs);

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, { meridian: parsed.config, env: { SLACK_TIMEOUT_MS: LOST_ANSWER_MS } });
  for (const id of ['U0DECL001', 'U0LEGAL001', 'U0OTHER01', 'U0ADMIN001'])
    h.fake.addUser({ id, name: id.toLowerCase(), tz: 'Europe/Dublin' });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.fake.clearFaults();
});

async function declare(title: string, category: string, extra: Record<string, Record<string, unknown>> = {}) {
  seq += 1;
  const state = declareState({ title, category });
  Object.assign(state.values, extra);
  await h.submitView({ id: `V0CLK${String(seq).padStart(5, '0')}`, callback_id: 'declare_incident', state });
  return eventually(async () => {
    const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
    return row?.cardTs && row.channelId ? row : undefined;
  }, `"${title}" to be set up`);
}

const posts = (channel: string, pattern: string) =>
  h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && JSON.stringify(c.args).includes(pattern));
const clocksOf = (incidentId: string) => h.db.select().from(incidentClocks).where(eq(incidentClocks.incidentId, incidentId));
const cardHas = (channel: string, pattern: string) => () =>
  [...h.fake.callsTo('chat.postMessage'), ...h.fake.callsTo('chat.update')].find(
    (c) => c.args.channel === channel && JSON.stringify(c.args.blocks ?? []).includes(pattern),
  );

let homeSeq = 0;
/** Opens the Home tab as `userId`; the view the bot published after this open. */
async function openHome(userId: string): Promise<string> {
  homeSeq += 1;
  const before = h.fake.callsTo('views.publish').length;
  const event = { type: 'app_home_opened', user: userId, channel: 'D0HOME0001', tab: 'home', event_ts: '1700000000.000100' };
  const answer = await sendToSlackEndpoint(h.eventsUrl, eventBody({ eventId: `Ev0CLKHOME${homeSeq}`, event }), {
    secret: SIGNING_SECRET,
    contentType: 'application/json',
  });
  expect(answer.status).toBe(200);
  const call = await eventually(
    () =>
      h.fake
        .callsTo('views.publish')
        .slice(before)
        .find((c) => c.args.user_id === userId),
    'the Home to be published',
  );
  return JSON.stringify(call.args.view);
}

/** One incident's lines of `/incident list`: its header line and those under it. */
function entryOf(text: string, title: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.includes(title));
  if (at < 0) throw new Error(`"${title}" is not listed`);
  const rest = lines.slice(at + 1);
  const end = rest.findIndex((l) => l.includes('*INC-'));
  return [lines[at], ...rest.slice(0, end < 0 ? rest.length : end)].join('\n');
}

const dateToken = (at: Date) => `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} at {time}|`;

describe('response clocks', () => {
  it("a category's clock starts at declaration; the card shows respond-by as a Slack date and the instant in UTC (no time left that would freeze), its name and source", async () => {
    const incident = await declare('Order about a video', 'regulator-request');
    const [clock] = await clocksOf(incident.id);
    expect(clock).toMatchObject({ kindId: 'fast-order', state: 'running', startKind: 'declared' });
    expect(clock!.dueAt.getTime() - incident.declaredAt.getTime()).toBe(60 * MINUTE);
    const card = await eventually(cardHas(incident.channelId!, 'Respond by <!date^'), 'the card to show the clock');
    const blocks = JSON.stringify(card.args.blocks);
    expect(blocks).toContain(`<!date^${Math.floor(clock!.dueAt.getTime() / 1000)}^`);
    expect(blocks).toContain('Fast removal order');
    expect(blocks).toContain('Test Regulation, Art. 3(3)');
    expect(blocks).toContain(clock!.dueAt.toISOString().slice(11, 16));
    expect(blocks).toContain(' UTC)');
    expect(blocks).not.toMatch(/\d+ (s|min|h) left/);
    expect(blocks).toContain('clock_responded');
  });

  it('reminds before the deadline and not early, then misses once at the deadline: channel, DM with Acknowledge, invite, feed, record', async () => {
    const incident = await declare('Order about a livestream', 'regulator-request');
    const [clock] = await clocksOf(incident.id);
    const channel = incident.channelId!;
    const due = clock!.dueAt.getTime();
    // A minute before the reminder's time, nothing; a second after, the reminder.
    await advanceTo(due - 31 * MINUTE);
    expect(posts(channel, 'left: *Fast removal order*')).toHaveLength(0);
    await advanceTo(due - 30 * MINUTE + 1000);
    const reminder = await eventually(() => posts(channel, 'left: *Fast removal order*')[0], 'the reminder');
    expect(JSON.stringify(reminder.args)).toContain('<@U0DECL001>');
    // A minute before the due time, no miss; a second after, the miss.
    await advanceTo(due - MINUTE);
    expect(posts(channel, 'Deadline missed')).toHaveLength(0);
    await advanceTo(due + 1000);
    await eventually(() => posts(channel, 'Deadline missed')[0], 'the miss');
    const dm = await eventually(
      () => posts('U0LEGAL001', 'missed a deadline').find((c) => JSON.stringify(c.args).includes(incident.title)),
      'the DM',
    );
    expect(JSON.stringify(dm.args.blocks)).toContain('clock_miss_ack');
    await eventually(() => posts(h.feedChannelId, `INC-${incident.number} missed a deadline`)[0], 'the feed');
    expect(
      h.fake.callsTo('conversations.invite').some((c) => c.args.channel === channel && String(c.args.users).includes('U0LEGAL001')),
    ).toBe(true);
    // The miss row done is the sentinel: everything it does is behind it.
    await eventually(async () => {
      const rows = await h.db
        .select()
        .from(scheduledActions)
        .where(and(eq(scheduledActions.incidentId, incident.id), eq(scheduledActions.kind, 'clock-miss')));
      return rows.every((r) => r.status === 'done') && rows.length === 1;
    }, 'the miss to finish');
    expect(posts(channel, 'Deadline missed')).toHaveLength(1);
    expect(posts('U0LEGAL001', `INC-${incident.number} missed a deadline`)).toHaveLength(1);
    expect((await clocksOf(incident.id))[0]).toMatchObject({ state: 'missed' });
    const timeline = await h.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'clock_missed')));
    expect(timeline).toHaveLength(1);
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.incidentId, incident.id), eq(auditLog.action, 'clock.missed')));
    expect(audit).toHaveLength(1);

    const sent = dm.response as { channel: string; ts: string };
    const ack = await h.clickButton({
      actionId: 'clock_miss_ack',
      value: clock!.id,
      userId: 'U0LEGAL001',
      channelId: sent.channel,
      messageTs: sent.ts,
    });
    expect(ack.status).toBe(200);
    await eventually(() => posts(channel, 'acknowledged the missed deadline')[0], 'the acknowledgement in the channel');
    // The DM itself now says who acknowledged, and its button is gone.
    const updated = await eventually(
      () => h.fake.callsTo('chat.update').find((c) => c.args.channel === sent.channel && c.args.ts === sent.ts),
      'the DM to be updated',
    );
    expect(updated.status).toBe(200);
    expect(JSON.stringify(updated.args.blocks)).toContain('Acknowledged by <@U0LEGAL001>');
    expect(JSON.stringify(updated.args.blocks)).toContain('Fast removal order');
    expect(JSON.stringify(updated.args.blocks)).not.toContain('clock_miss_ack');
    await h.command('responded sent at last', { channelId: channel });
    const answered = await eventually(
      async () => ((await clocksOf(incident.id))[0]?.respondedAt ? (await clocksOf(incident.id))[0] : undefined),
      'the late answer',
    );
    expect(answered).toMatchObject({ state: 'missed', responseNote: 'sent at last', respondedBy: 'U0DECL001' });
    await eventually(cardHas(channel, 'missed by'), 'the card to say missed by how much');
  });

  it('when Slack accepts the reminder and the miss DM but the bot never hears back, then each reaches Slack once, tagged and adopted', async () => {
    const declaredAt = Date.now();
    const incident = await declare('Lost answers on a deadline', 'regulator-request');
    const channel = incident.channelId as string;
    const isReminder = (args: Record<string, unknown>) =>
      args.channel === channel && JSON.stringify(args).includes('left: *Fast removal order*');
    h.fake.fail('chat.postMessage', { kind: 'lose-answer' }, { when: isReminder });
    h.fake.fail('chat.postMessage', { kind: 'lose-answer' }, { when: (args) => args.channel === 'U0LEGAL001' });
    const [clock] = await clocksOf(incident.id);
    // Each lost answer waits SLACK_TIMEOUT_MS (2.5 s here) before its retry looks for the tagged copy.
    await advanceTo(clock!.dueAt.getTime() - 30 * MINUTE + 1000, 20_000);
    await advanceTo(clock!.dueAt.getTime() + 1000, 20_000);
    // The miss row done is the sentinel: its DM (the last lost answer) and the feed line are behind it.
    await eventually(
      async () => {
        const rows = await h.db
          .select()
          .from(scheduledActions)
          .where(and(eq(scheduledActions.incidentId, incident.id), eq(scheduledActions.kind, 'clock-miss')));
        return rows[0]?.status === 'done';
      },
      'the miss to finish',
      20_000,
    );
    const reminders = posts(channel, 'left: *Fast removal order*');
    const dms = h.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === 'U0LEGAL001' && JSON.stringify(c.args).includes(incident.title));
    expect(reminders).toHaveLength(1);
    expect(dms).toHaveLength(1);
    // Each retry looked for its tagged copy before posting again.
    // (the DM's look-up reads the bot's DM channel with U0LEGAL001, whose id is a D…)
    expect(h.fake.callsTo('conversations.history').filter((c) => c.at > declaredAt).length).toBeGreaterThanOrEqual(2);
    for (const call of [...reminders, ...dms]) {
      expect(call.args.metadata).toMatchObject({
        event_type: 'meridian_delivery',
        event_payload: { key: expect.stringMatching(/^clock-/) },
      });
    }
  });

  it("a private incident's miss tells the feed only its number, never its title", async () => {
    const incident = await declare('Secret grooming case Zeta', 'child-safety');
    const [clock] = await clocksOf(incident.id);
    await advanceTo(clock!.dueAt.getTime() + 1000);
    const feed = await eventually(() => posts(h.feedChannelId, `INC-${incident.number},`)[0], 'the feed line');
    expect(JSON.stringify(feed.args)).not.toContain('Zeta');
    expect(
      h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === h.feedChannelId && JSON.stringify(c.args).includes('Zeta')),
    ).toHaveLength(0);
  });

  it('responding stops the clock: who, when, met, the note; its reminder and miss never fire', async () => {
    const answered = await declare('Order answered at once', 'regulator-request');
    const reply = await h.command('responded removed and confirmed to the authority', { channelId: answered.channelId! });
    expect(reply.status).toBe(200);
    const clock = await eventually(async () => {
      const [c] = await clocksOf(answered.id);
      return c?.state === 'met' ? c : undefined;
    }, 'the clock to be met');
    expect(clock).toMatchObject({ respondedBy: 'U0DECL001', responseNote: 'removed and confirmed to the authority' });
    const rows = await h.db.select().from(scheduledActions).where(eq(scheduledActions.incidentId, answered.id));
    expect(rows.filter((r) => r.kind.startsWith('clock-')).every((r) => r.status === 'cancelled')).toBe(true);
    await eventually(cardHas(answered.channelId!, 'Responded <!date^'), 'the card to say responded');
    // Sentinel: an incident declared after it misses its own clock; by then the first would have too.
    const later = await declare('Order left unanswered', 'regulator-request');
    await advanceTo((await clocksOf(later.id))[0]!.dueAt.getTime() + 1000);
    await eventually(() => posts(later.channelId!, 'Deadline missed')[0], 'the later miss');
    expect(posts(answered.channelId!, 'Deadline missed')).toHaveLength(0);
    expect(posts(answered.channelId!, 'left: *')).toHaveLength(0);
  });

  it('a moved clock re-plans: the old plan never fires, the new one does, once', async () => {
    const incident = await declare('Partner SLA', 'media-inquiry');
    const channel = incident.channelId!;
    await h.command('deadline in 20 minutes', { channelId: channel });
    const first = await eventually(async () => (await clocksOf(incident.id))[0], 'the clock');
    await h.command('deadline in 60 minutes', { channelId: channel });
    const moved = await eventually(async () => {
      const [c] = await clocksOf(incident.id);
      return c && c.version === 2 ? c : undefined;
    }, 'the clock to move');
    // Past the first due time: the old plan never fires.
    await advanceTo(first.dueAt.getTime() + MINUTE);
    expect(posts(channel, 'Deadline missed')).toHaveLength(0);
    await advanceTo(moved.dueAt.getTime() - MINUTE);
    expect(posts(channel, 'Deadline missed')).toHaveLength(0);
    await advanceTo(moved.dueAt.getTime() + 1000);
    await eventually(() => posts(channel, 'Deadline missed')[0], 'the miss of the moved clock');
    expect(posts(channel, 'Deadline missed')).toHaveLength(1);
  });

  it('a clock command says it once: the line in the channel is the record, the person who typed it gets no private copy; a refusal still reaches them', async () => {
    const incident = await declare('Order told once', 'media-inquiry');
    const channel = incident.channelId!;
    const before = privateReplies(h.fake).length;
    const commands: Array<[string, string]> = [
      ['deadline in 50 minutes', 'Deadline set'],
      ['deadline pause waiting for the partner', 'Deadline paused'],
      ['deadline resume', 'Deadline resumed'],
      ['deadline extend 10 minutes partner asked', 'Deadline extended'],
      ['responded sent to the partner', 'Responded'],
    ];
    for (const [command, line] of commands) {
      await h.command(command, { channelId: channel });
      await eventually(() => posts(channel, line)[0], `"${line}" in the channel`);
    }
    await h.idle();
    for (const [, line] of commands) expect(posts(channel, line)).toHaveLength(1);
    const mine = privateReplies(h.fake)
      .slice(before)
      .filter((c) => c.args.user === 'U0DECL001');
    expect(mine.map((c) => String(c.args.text))).toEqual([]);
    // A refusal changes nothing and is said to the person only.
    await h.command('deadline extend 10 minutes', { channelId: channel });
    await eventually(
      () =>
        privateReplies(h.fake)
          .slice(before)
          .find((c) => c.args.user === 'U0DECL001'),
      'the refusal, privately',
    );
    expect(posts(channel, 'Deadline extended')).toHaveLength(1);
  });

  it('a paused clock stands still and never misses; resuming gives back the time it had left', async () => {
    const incident = await declare('Order to clarify', 'regulator-request');
    const channel = incident.channelId!;
    await h.command('deadline pause waiting for the authority to clarify', { channelId: channel });
    const paused = await eventually(async () => {
      const [c] = await clocksOf(incident.id);
      return c?.state === 'paused' ? c : undefined;
    }, 'the pause');
    expect(paused.pauseReason).toBe('waiting for the authority to clarify');
    const pending = await h.db
      .select()
      .from(scheduledActions)
      .where(and(eq(scheduledActions.incidentId, incident.id), eq(scheduledActions.status, 'pending')));
    expect(pending.filter((r) => r.kind.startsWith('clock-'))).toHaveLength(0);
    // Sentinel: another incident's clock, declared after the pause, misses; this one stayed quiet.
    const other = await declare('Order running meanwhile', 'regulator-request');
    await advanceTo((await clocksOf(other.id))[0]!.dueAt.getTime() + 1000);
    await eventually(() => posts(other.channelId!, 'Deadline missed')[0], 'the other miss');
    expect(posts(channel, 'Deadline missed')).toHaveLength(0);
    await h.command('deadline resume', { channelId: channel });
    const resumed = await eventually(async () => {
      const [c] = await clocksOf(incident.id);
      return c?.state === 'running' ? c : undefined;
    }, 'the resume');
    const left = paused.dueAt.getTime() - paused.pausedAt!.getTime();
    expect(resumed.dueAt.getTime() - botNow()).toBeLessThanOrEqual(left);
    expect(resumed.dueAt.getTime()).toBeGreaterThan(paused.dueAt.getTime());
    await advanceTo(resumed.dueAt.getTime() + 1000);
    await eventually(() => posts(channel, 'Deadline missed')[0], 'the resumed clock to miss');
  });

  it('only those who may change the incident set clocks; a refusal is audited', async () => {
    const incident = await declare('Order someone else tries', 'media-inquiry');
    await h.command('deadline in 3 hours', { channelId: incident.channelId!, userId: 'U0OTHER01' });
    const refused = await eventually(async () => {
      const rows = await h.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.incidentId, incident.id), eq(auditLog.outcome, 'refused')));
      return rows[0];
    }, 'the refusal');
    expect(refused.action).toBe('clock.set');
    expect(await clocksOf(incident.id)).toHaveLength(0);
  });

  it('a kind with versions by effective date uses the one in force when the clock starts', async () => {
    const incident = await declare('Order under the new rules', 'media-inquiry');
    await h.command('deadline versioned', { channelId: incident.channelId! });
    const clock = await eventually(async () => (await clocksOf(incident.id))[0], 'the versioned clock');
    expect(clock.name).toBe('Versioned order (new)');
    expect(clock.dueAt.getTime() - clock.startedAt.getTime()).toBe(180 * 60_000);
  });

  it('/incident deadlines lists running clocks soonest first, private ones only to members', async () => {
    const open = await declare('Order listed far', 'media-inquiry');
    await h.command('deadline in 5 hours listed', { channelId: open.channelId! });
    await eventually(async () => (await clocksOf(open.id))[0], 'the listed clock');
    const reply = await h.command('deadlines', { userId: 'U0OTHER01' });
    expect(reply.text).toContain(`INC-${open.number}`);
    expect(reply.text).not.toContain('Secret');
  });

  it('the declare form\'s "Respond by" starts a clock due then', async () => {
    const due = Math.floor(botNow() / 1000) + 3600;
    const incident = await declare('Order with a typed deadline', 'media-inquiry', { respond_by: { value: { selected_date_time: due } } });
    const [clock] = await clocksOf(incident.id);
    expect(clock).toMatchObject({ label: 'response', startKind: 'typed' });
    expect(clock!.dueAt.getTime()).toBe(due * 1000);
  });

  it("App Home and /incident list show each open incident's next deadline: the soonest running clock, or overdue", async () => {
    await declare('Inquiry without a clock', 'media-inquiry');
    const overdue = await declare('Order overdue on the Home', 'regulator-request');
    await advanceTo((await clocksOf(overdue.id))[0]!.dueAt.getTime() + 1000);
    await eventually(() => posts(overdue.channelId!, 'Deadline missed')[0], 'the miss');
    const soon = await declare('Order shown with its next deadline', 'media-inquiry');
    await h.command('deadline in 5 hours later-one', { channelId: soon.channelId! });
    await h.command('deadline in 40 minutes', { channelId: soon.channelId! });
    const clocks = await eventually(
      async () => {
        const rows = await clocksOf(soon.id);
        return rows.length === 2 ? rows : undefined;
        // Each command answers Slack first and sets its clock after: on a loaded CI machine that took over 5 s once.
      },
      'both clocks',
      15_000,
    );
    const next = clocks.find((c) => c.label === 'response')!;

    const home = await openHome('U0DECL001');
    expect(home).toContain(`${dateToken(next.dueAt)}`);
    expect(home).toMatch(/Respond by <!date\^\d+\^\{date_short_pretty\} at \{time\}\|[^>]*> \(in (39|40) min\) · Response deadline/);
    expect(home).not.toContain('later-one');
    expect(home).toMatch(/\(overdue by \d+ s\) · Fast removal order/);

    const list = await h.command('list');
    const text = (list.json as { text: string }).text;
    const line = entryOf(text, 'Order shown with its next deadline');
    expect(line).toContain(`:alarm_clock: Respond by ${dateToken(next.dueAt)}`);
    expect(line).toMatch(/\(in (39|40) min\) · Response deadline/);
    const overdueLine = entryOf(text, 'Order overdue on the Home');
    expect(overdueLine).toMatch(/:rotating_light: Respond by <!date\^\d+\^[^>]*> \(overdue by \d+ s\) · Fast removal order/);
    expect(entryOf(text, 'Inquiry without a clock')).not.toContain('Respond by');
  });

  it('/incident deadline extend <N> <reason> re-plans: the old reminder and miss never fire, the reason is in the timeline', async () => {
    const incident = await declare('Order the Commissioner extended', 'media-inquiry');
    const channel = incident.channelId!;
    // 20 minutes, reminded at half the time (10 min before); extended by 20 minutes before that reminder falls due.
    await h.command('deadline in 20 minutes', { channelId: channel });
    const first = await eventually(async () => (await clocksOf(incident.id))[0], 'the clock');
    await h.command('deadline extend 20 minutes the Commissioner allowed more time', { channelId: channel });
    const extended = await eventually(async () => {
      const [c] = await clocksOf(incident.id);
      return c && c.version === first.version + 1 ? c : undefined;
    }, 'the extension');
    expect(extended.dueAt.getTime() - first.dueAt.getTime()).toBe(20 * MINUTE);
    await eventually(() => posts(channel, 'Deadline extended')[0], 'the extension in the channel');
    expect(JSON.stringify(posts(channel, 'Deadline extended')[0]!.args)).toContain('the Commissioner allowed more time');
    const [entry] = await h.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'clock_extended')));
    expect(entry?.data).toMatchObject({ reason: 'the Commissioner allowed more time', minutes: 20 });
    expect(entry?.actorId).toBe('U0DECL001');

    // Past the old reminder and the old due time: neither fires.
    await advanceTo(first.dueAt.getTime() + MINUTE);
    expect(posts(channel, 'left: *')).toHaveLength(0);
    expect(posts(channel, 'Deadline missed')).toHaveLength(0);
    // The new reminder, 10 minutes before the new due time, then the miss, each once.
    await advanceTo(extended.dueAt.getTime() - 10 * MINUTE + 1000);
    expect(posts(channel, 'left: *')).toHaveLength(1);
    await advanceTo(extended.dueAt.getTime() - MINUTE);
    expect(posts(channel, 'Deadline missed')).toHaveLength(0);
    await advanceTo(extended.dueAt.getTime() + 1000);
    await eventually(() => posts(channel, 'Deadline missed')[0], 'the miss of the extended clock');
    expect(posts(channel, 'left: *')).toHaveLength(1);
    expect(posts(channel, 'Deadline missed')).toHaveLength(1);
    const rows = await h.db
      .select()
      .from(scheduledActions)
      .where(and(eq(scheduledActions.incidentId, incident.id), eq(scheduledActions.kind, 'clock-reminder')));
    expect(rows.filter((r) => r.status === 'cancelled')).toHaveLength(1);
  });

  it('/incident deadline <kind> received <when> runs the clock from receipt of the order, not from when it is typed', async () => {
    const incident = await declare('Order received before it was typed', 'media-inquiry');
    const receivedAt = new Date(Math.floor((botNow() - 25 * 60_000) / 1000) * 1000);
    await h.command(`deadline hour-order received ${receivedAt.toISOString()} tco`, { channelId: incident.channelId! });
    const clock = await eventually(async () => (await clocksOf(incident.id))[0], 'the clock from receipt');
    expect(clock).toMatchObject({ label: 'tco', kindId: 'hour-order', startKind: 'received', state: 'running' });
    expect(clock.startedAt.getTime()).toBe(receivedAt.getTime());
    expect(clock.dueAt.getTime()).toBe(receivedAt.getTime() + 60 * 60_000);
    const line = await eventually(() => posts(incident.channelId!, 'Deadline set: *Hour from receipt order*')[0], 'the channel line');
    expect(JSON.stringify(line.args)).toContain(`received ${dateToken(receivedAt)}`);

    await h.command('deadline hour-order received 2099-01-01T00:00Z later', { channelId: incident.channelId! });
    await eventually(
      () => privateReplies(h.fake).find((c) => String(c.args.text).includes('is still ahead; give the time the order was received')),
      'the refusal of a receipt ahead',
    );
    expect(await clocksOf(incident.id)).toHaveLength(1);
  });
});
