import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { runDueNow } from '../../src/sandbox/due-now.js';
import { auditLog, incidentClocks, incidents, intakeReports, scheduledActions } from '../../src/db/schema/index.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { INTAKE_SECRET, sendReport } from '../support/intake-requests.js';

const CONFIG = `
admins: [U0ADMIN001]
deadlines:
  - id: hour-order
    name: "Hour from receipt order"
    within_minutes: 60
    remind_before_minutes: [30]
    source: "Test Regulation, Art. 3(3)"
categories:
  - { id: regulator-request, name: "Regulator request", default_severity: sev3, deadline: hour-order }
intake:
  sources:
    - { id: tco-desk, name: "TCO desk", category: regulator-request, deadline: hour-order }
`;
const TRIAGER = 'U0TRIAGE01';

let h: Harness;
/** How far the tests moved the bot's clock (the harness's is Date.now() plus that). */
let advanced = 0;
const botNow = () => Date.now() + advanced;
const advance = async (ms: number) => {
  advanced += ms;
  await h.advance(ms);
};

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, {
    meridian: parsed.config,
    env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET },
    channels: { INTAKE_CHANNEL: 'intake-triage' },
  });
  for (const id of ['U0DECL001', 'U0ADMIN001', TRIAGER]) h.fake.addUser({ id, name: id.toLowerCase(), tz: 'Europe/Dublin' });
  h.fake.channel(h.config.INTAKE_CHANNEL as string)?.members.add(TRIAGER);
});
afterAll(async () => {
  await h?.close();
});

const clocksOf = (incidentId: string) => h.db.select().from(incidentClocks).where(eq(incidentClocks.incidentId, incidentId));
const incidentTitled = (title: string) =>
  eventually(async () => {
    const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
    return row?.cardTs && row.channelId ? row : undefined;
  }, `"${title}" to be set up`);
const cardWith = (channel: string, pattern: string) =>
  eventually(
    () =>
      [...h.fake.callsTo('chat.postMessage'), ...h.fake.callsTo('chat.update')]
        .reverse()
        .find((c) => c.args.channel === channel && JSON.stringify(c.args.blocks ?? []).includes(pattern)),
    `the card to show ${pattern}`,
  );
const posts = (channel: string, pattern: string) =>
  h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && JSON.stringify(c.args).includes(pattern));

describe('a deadline run before its time', () => {
  it('when "Run due now" runs a reminder and a miss early, then nothing is posted, the sandbox says so, and the miss fires once at its due time', async () => {
    await h.submitView({
      id: 'V0EARLY0001',
      callback_id: 'declare_incident',
      state: declareState({ title: 'Early order', category: 'regulator-request' }),
    });
    const incident = await eventually(async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, 'Early order'));
      return row?.cardTs && row.channelId ? row : undefined;
    }, 'the incident to be set up');
    const channel = incident.channelId!;
    await h.idle();

    // "Run due now", as the sandbox runs it: the next is the reminder, due in 30 minutes; run early, it posts nothing.
    const told: string[] = [];
    const runDue = async () => {
      const next = await h.runtime.scheduledActions.next();
      await runDueNow(h.runtime.scheduledActions, (text) => told.push(text));
      await h.idle();
      return next?.kind;
    };
    expect(await runDue()).toBe('clock-reminder');
    expect(told.at(-1)).toContain("deadline's reminder");
    expect(told.at(-1)).toContain('nothing was posted');
    expect(posts(channel, 'left: *Hour from receipt order*')).toHaveLength(0);

    // The reminder at its time; then the miss, run 15 minutes early (twice: its re-plan too), posts nothing.
    await advance(45 * 60_000);
    await h.idle();
    await eventually(() => posts(channel, 'left: *Hour from receipt order*')[0], 'the reminder at its time');
    expect(await runDue()).toBe('clock-miss');
    expect(await runDue()).toBe('clock-miss');
    expect(told.at(-1)).toContain("deadline's miss");
    expect(told.at(-1)).toContain('nothing was posted');
    expect(posts(channel, 'Deadline missed')).toHaveLength(0);
    expect(posts(channel, 'left: *Hour from receipt order*')).toHaveLength(1);
    const [clock] = await h.db.select().from(incidentClocks).where(eq(incidentClocks.incidentId, incident.id));
    expect(clock!.state).toBe('running');
    const pendingMiss = await h.db
      .select()
      .from(scheduledActions)
      .where(and(eq(scheduledActions.kind, 'clock-miss'), eq(scheduledActions.status, 'pending')));
    expect(pendingMiss.map((r) => r.dueAt.getTime())).toEqual([clock!.dueAt.getTime()]);

    // At its time, the miss fires, once.
    await advance(16 * 60_000);
    await h.idle();
    await eventually(() => posts(channel, 'Deadline missed')[0], 'the miss at its time');
    expect(posts(channel, 'Deadline missed')).toHaveLength(1);
  });

  it('when an order received 40 minutes ago is declared with its receipt time, then its clock runs from receipt and the card says the right deadline', async () => {
    const received = Math.floor(botNow() / 1000) - 40 * 60;
    const state = declareState({ title: 'Order received earlier', category: 'regulator-request' });
    Object.assign(state.values, { received: { value: { type: 'datetimepicker', selected_date_time: received } } });
    await h.submitView({ id: 'V0RECEIPT01', callback_id: 'declare_incident', state });
    const incident = await incidentTitled('Order received earlier');
    const clocks = await clocksOf(incident.id);
    expect(clocks).toHaveLength(1);
    expect(clocks[0]).toMatchObject({ kindId: 'hour-order', startKind: 'received' });
    expect(clocks[0]!.dueAt.getTime()).toBe((received + 60 * 60) * 1000);
    const card = JSON.stringify((await cardWith(incident.channelId!, `<!date^${received + 60 * 60}^`)).args.blocks);
    // The instant for the reply to the authority, the same for every reader; no "N min left" that freezes on the card.
    const iso = new Date((received + 60 * 60) * 1000).toISOString();
    expect(card).toContain(`${iso.slice(0, 10)} ${iso.slice(11, 16)}`);
    expect(card).toContain(' UTC)');
    expect(card).not.toMatch(/\d+ (s|min|h) left/);
    // It says the clock runs from receipt, and when that was.
    expect(card).toContain(`runs from receipt <!date^${received}^`);
  });

  it("when an order comes through intake and is declared 40 minutes later, then the form asks when it was received (the report's receipt), and one clock runs from receipt", async () => {
    const reply = await sendReport(
      h.runtime.port,
      { external_id: 'tco-1', source: 'tco-desk', title: 'Order from the TCO desk' },
      { timestamp: Math.floor(botNow() / 1000) },
    );
    expect(reply.status).toBe(202);
    const reportId = String(reply.json?.report_id);
    const [report] = await h.db.select().from(intakeReports).where(eq(intakeReports.id, reportId));
    const post = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === h.config.INTAKE_CHANNEL && JSON.stringify(c.args).includes('triage_declare'),
    );
    await advance(40 * 60_000);
    await h.clickButton({
      actionId: 'triage_declare',
      value: reportId,
      userId: TRIAGER,
      channelId: h.config.INTAKE_CHANNEL as string,
      messageTs: (post.response as { ts: string }).ts,
    });
    const open = await h.fake.waitForCall('views.open', (c) => JSON.stringify(c.args.view).includes(reportId));
    const view = open.args.view as { private_metadata: string; blocks: Array<{ block_id: string; element: Record<string, unknown> }> };
    const field = (id: string) => view.blocks.find((b) => b.block_id === id)?.element;
    const received = Math.floor(report!.receivedAt.getTime() / 1000);
    expect(field('received')?.initial_date_time).toBe(received);

    const state = declareState({ title: 'Order from the TCO desk', category: 'regulator-request' });
    Object.assign(state.values, {
      received: { value: { type: 'datetimepicker', selected_date_time: field('received')?.initial_date_time } },
      respond_by: { value: { type: 'datetimepicker', selected_date_time: field('respond_by')?.initial_date_time } },
    });
    const answer = await h.submitView(
      { id: 'V0RECEIPT02', callback_id: 'declare_incident', private_metadata: view.private_metadata, state },
      { userId: TRIAGER },
    );
    expect(answer.status).toBe(200);
    const incident = await incidentTitled('Order from the TCO desk');
    const clocks = await clocksOf(incident.id);
    expect(clocks).toHaveLength(1);
    expect(clocks[0]).toMatchObject({ kindId: 'hour-order', startKind: 'received' });
    expect(clocks[0]!.dueAt.getTime()).toBe((received + 60 * 60) * 1000);
    await cardWith(incident.channelId!, `<!date^${received + 60 * 60}^`);
  });

  it('when a statutory clock is paused, then the channel is warned that the law does not pause, and the record says it was a statutory clock', async () => {
    await h.submitView({
      id: 'V0STATUTE01',
      callback_id: 'declare_incident',
      state: declareState({ title: 'Order to pause', category: 'regulator-request' }),
    });
    const incident = await incidentTitled('Order to pause');
    const channel = incident.channelId!;
    await h.command('deadline pause waiting for the authority to clarify', { channelId: channel });
    const line = await eventually(() => posts(channel, 'the law does not pause')[0], 'the warning');
    expect(JSON.stringify(line.args)).toContain('statutory deadline');
    // The card marks the paused clock as statutory too (issue 19): its countdown stands still, the law's does not.
    await cardWith(channel, 'Statutory deadline: the law does not pause');
    const [audit] = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.incidentId, incident.id), eq(auditLog.action, 'clock.pause')));
    expect(audit?.details).toMatchObject({ statutory: true });
  });

  it('when Mark responded is clicked, then a modal asks when, what and the evidence; the response is recorded at the time given, and an undo takes it back, audited', async () => {
    await h.submitView({
      id: 'V0RESPOND01',
      callback_id: 'declare_incident',
      state: declareState({ title: 'Order to answer', category: 'regulator-request' }),
    });
    const incident = await incidentTitled('Order to answer');
    const channel = incident.channelId!;
    const [clock] = await clocksOf(incident.id);
    await h.clickButton({ actionId: 'clock_responded', value: clock!.id, channelId: channel, messageTs: incident.cardTs! });
    const open = await h.fake.waitForCall('views.open', (c) => JSON.stringify(c.args.view).includes('clock_respond"'));
    const view = open.args.view as { private_metadata: string; blocks: Array<{ block_id?: string; element?: Record<string, unknown> }> };
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual(expect.arrayContaining(['responded_at', 'what', 'evidence']));
    // The click alone records nothing.
    expect((await clocksOf(incident.id))[0]!.respondedAt).toBeNull();

    // Five minutes later, the response is recorded as done two minutes after the clock started: at that time, not the form's.
    await advance(5 * 60_000);
    const doneAt = Math.floor(clock!.startedAt.getTime() / 1000) + 120;
    const reply = await h.submitView({
      id: 'V0RESPOND02',
      callback_id: 'clock_respond',
      private_metadata: view.private_metadata,
      state: {
        values: {
          responded_at: { value: { type: 'datetimepicker', selected_date_time: doneAt } },
          what: { value: { type: 'plain_text_input', value: 'Video removed in all member states' } },
          evidence: { value: { type: 'url_text_input', value: 'https://evidence.example/orders/1' } },
        },
      },
    });
    expect(reply.status).toBe(200);
    const answered = await eventually(async () => {
      const [c] = await clocksOf(incident.id);
      return c?.respondedAt ? c : undefined;
    }, 'the response');
    expect(answered).toMatchObject({ state: 'met', respondedBy: 'U0DECL001' });
    expect(answered.respondedAt!.getTime()).toBe(doneAt * 1000);
    // The note and the evidence link are stored apart (issue 19), so the record can show and count each.
    expect(answered.responseNote).toContain('Video removed in all member states');
    expect(answered.responseNote).not.toContain('evidence');
    expect(answered.responseEvidence).toBe('https://evidence.example/orders/1');
    await cardWith(channel, 'Video removed in all member states');

    await h.command('responded undo', { channelId: channel });
    const undone = await eventually(async () => {
      const [c] = await clocksOf(incident.id);
      return c && !c.respondedAt ? c : undefined;
    }, 'the undo');
    expect(undone.state).toBe('running');
    await eventually(() => posts(channel, 'Response taken back')[0], 'the undo in the channel');
    const [audit] = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.incidentId, incident.id), eq(auditLog.action, 'clock.respond_undo')));
    expect(audit?.details).toMatchObject({ respondedBy: 'U0DECL001' });
  });
});
