import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { auditLog, incidents, intakeReports, timelineEntries } from '../../src/db/schema/index.js';
import type { RecordedCall } from '../fakes/fake-slack.js';
import { declareState, eventually, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';
import { messageShortcutBody, sendToSlackEndpoint } from '../support/slack-requests.js';
import { INTAKE_SECRET, sendReport } from '../support/intake-requests.js';
import { privateReplies } from '../support/replies.js';

const ONCALL = 'U0ONCALL01';
const TRIAGER = 'U0TRIAGE01';
const OTHER = 'U0TRIAGE02';
/** A second member of the triage channel (OTHER is outside it). */
const SECOND = 'U0TRIAGE03';
const ADMIN = 'U0ADMIN001';
const NGO_SECRET = 'safety-ngo-secret-0123456789';

const yaml = `
admins: [${ADMIN}]
schedules:
  - id: tns
    layers:
      - name: Everywhere
        timezone: UTC
        coverage: { days: [mon, tue, wed, thu, fri, sat, sun], from: "00:00", to: "00:00" }
        rotation: { members: [${ONCALL}], every: 1 week, handoff: "00:00", starts: 2020-01-06 }
deadlines:
  - { id: eu-tco-removal-order, name: "EU TCO removal order", within_minutes: 60, source: "Regulation (EU) 2021/784, Art. 3(3)" }
intake:
  sources:
    - { id: regulator-portal, name: "Regulator portal", category: regulator-request, severity: sev2 }
    - { id: tco-desk, name: "TCO desk", category: regulator-request, deadline: eu-tco-removal-order }
    - { id: "partner:safety-ngo", name: "Safety NGO (trusted flagger)", category: partner-escalation, priority: true, secret: safety-ngo }
    - { id: crm, name: "CRM automation" }
  nudge_after_minutes: 0.04
  priority_nudge_after_minutes: 0.04
`;

let h: Harness;
let intakeChannel: string;
let seq = 0;

beforeAll(async () => {
  const parsed = parseMeridianConfig(yaml, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, {
    meridian: parsed.config,
    env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET, INTAKE_SOURCE_SECRETS: `safety-ngo=${NGO_SECRET}` },
    channels: { INTAKE_CHANNEL: 'intake-triage' },
  });
  intakeChannel = h.config.INTAKE_CHANNEL as string;
  for (const id of [ONCALL, TRIAGER, OTHER, SECOND, ADMIN, 'U0DECL001']) h.fake.addUser({ id, name: id.toLowerCase(), tz: 'UTC' });
  h.fake.channel(intakeChannel)?.members.add(TRIAGER);
  h.fake.channel(intakeChannel)?.members.add(SECOND);
});
afterAll(async () => {
  await h?.close();
});

const port = () => h.runtime.port;
const text = (call: RecordedCall) => `${String(call.args.text)} ${JSON.stringify(call.args.blocks ?? [])}`;

function report(overrides: Record<string, unknown> = {}) {
  seq += 1;
  return { external_id: `ext-${seq}`, source: 'crm', title: `Report number ${seq}`, ...overrides };
}

async function rowsFor(source: string) {
  return h.db.select().from(intakeReports).where(eq(intakeReports.source, source));
}

async function rowsWithExternalId(externalId: unknown) {
  return h.db
    .select()
    .from(intakeReports)
    .where(eq(intakeReports.externalId, String(externalId)));
}

/** The first post of a report in the triage channel. */
function triagePostOf(title: string) {
  return h.fake.waitForCall(
    'chat.postMessage',
    (c) => c.args.channel === intakeChannel && text(c).includes(title) && text(c).includes('triage_declare'),
  );
}

async function sendAndPost(body: Record<string, unknown>, shownTitle = String(body.title), secret = INTAKE_SECRET) {
  const reply = await sendReport(port(), body, { secret });
  expect(reply.status).toBe(202);
  const post = await triagePostOf(shownTitle);
  return { reportId: String(reply.json?.report_id), post, ts: (post.response as { ts: string }).ts };
}

let viewSeq = 0;
const nextViewId = () => `V0INTAKE${String(++viewSeq).padStart(3, '0')}`;

describe('the intake API', () => {
  it('when a signed report arrives, then it is accepted once, stored pending, and posted in the triage channel with Declare, Merge and Dismiss', async () => {
    const body = report({
      source: 'regulator-portal',
      title: 'Removal order for a terrorist video',
      summary: 'Order ref TCO-2026-17. Remove within one hour.',
      reporter: 'Officer Jane Doe',
      deadline: '2099-01-01T12:00:00Z',
      links: ['https://authority.example/orders/17'],
    });
    const reply = await sendReport(port(), body);
    expect(reply.status).toBe(202);
    expect(reply.json).toEqual({ report_id: expect.any(String), status: 'pending' });
    const [row] = await rowsFor('regulator-portal');
    expect(row).toMatchObject({ status: 'pending', category: 'regulator-request', severity: 'sev2', externalId: body.external_id });

    const post = await triagePostOf(body.title);
    const shown = text(post);
    for (const part of [
      'Regulator portal',
      'Officer Jane Doe',
      'Regulator or government request',
      'SEV2',
      '<!date^',
      'left',
      '<https://authority.example/orders/17|',
    ]) {
      expect(shown).toContain(part);
    }
    expect(shown).toContain('triage_merge');
    expect(shown).toContain('triage_dismiss');
    await eventually(
      async () => (await rowsFor('regulator-portal'))[0]?.triageTs === (post.response as { ts: string }).ts,
      'the post ts on the report',
    );

    const again = await sendReport(port(), body);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ report_id: reply.json?.report_id, status: 'pending' });
    expect(await rowsFor('regulator-portal')).toHaveLength(1);
  });

  it("when a source has a deadline kind, then its report's triage post and Declare's Respond by show the kind's due time from receipt; a report's own deadline wins", async () => {
    const { reportId, post, ts } = await sendAndPost(report({ source: 'tco-desk', title: 'Removal order from the TCO desk' }));
    const [row] = await rowsFor('tco-desk');
    const due = Math.floor((row!.receivedAt.getTime() + 60 * 60_000) / 1000);
    expect(text(post)).toContain(`*Respond by:* <!date^${due}^`);
    expect(text(post)).toMatch(/59 min left|1 h left|60 min left/);
    await h.clickButton({ actionId: 'triage_declare', value: reportId, userId: TRIAGER, channelId: intakeChannel, messageTs: ts });
    const open = await h.fake.waitForCall('views.open', (c) => JSON.stringify(c.args.view).includes(reportId));
    const blocks = (open.args.view as { blocks: Array<{ block_id: string; element: Record<string, unknown> }> }).blocks;
    expect(blocks.find((b) => b.block_id === 'respond_by')?.element.initial_date_time).toBe(due);

    const own = await sendAndPost(
      report({ source: 'tco-desk', title: 'An order with its own deadline', deadline: '2099-03-01T00:00:00Z' }),
    );
    expect(text(own.post)).toContain(`*Respond by:* <!date^${Date.UTC(2099, 2, 1) / 1000}^`);
  });

  it('when the signature is wrong, stale either way or missing, then the answer is 401 invalid_signature and nothing is stored', async () => {
    const body = report();
    const now = Math.floor(Date.now() / 1000);
    const answers = [
      await sendReport(port(), body, { secret: 'another-secret-0123456789' }),
      await sendReport(port(), body, { timestamp: now - 310 }),
      await sendReport(port(), body, { timestamp: now + 310 }),
      await sendReport(port(), body, { sign: false }),
      await sendReport(port(), body, { headers: { 'x-meridian-signature': 'v0=00' } }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    for (const a of answers) expect(a.json).toEqual({ error: 'invalid_signature' });
    expect(await rowsWithExternalId(body.external_id)).toHaveLength(0);
  });

  it('when the body is over 64 KiB, not JSON or not parsable, then 413 or 415 and nothing is stored', async () => {
    const big = report({ summary: 'x'.repeat(70 * 1024) });
    expect((await sendReport(port(), big)).status).toBe(413);
    const plain = report();
    expect((await sendReport(port(), plain, { contentType: 'text/plain' })).status).toBe(415);
    expect((await sendReport(port(), '{"external_id": "broken', {})).status).toBe(415);
    expect(await rowsWithExternalId(big.external_id)).toHaveLength(0);
    expect(await rowsWithExternalId(plain.external_id)).toHaveLength(0);
  });

  it('when fields are wrong, then 400 invalid_report names every bad field and nothing is stored', async () => {
    const reply = await sendReport(port(), {
      source: 'Not A Source!',
      title: 'no',
      category: 'made-up',
      severity: 'sev9',
      deadline: 'tomorrow',
      summary: 42,
      reporter: ['x'],
      links: Array.from({ length: 11 }, () => 'not a url'),
    });
    expect(reply.status).toBe(400);
    expect(reply.json?.error).toBe('invalid_report');
    const paths = (reply.json?.issues as Array<{ path: string; message: string }>).map((i) => i.path);
    for (const p of ['external_id', 'source', 'title', 'category', 'severity', 'deadline', 'summary', 'reporter', 'links'])
      expect(paths).toContain(p);
    expect(await rowsFor('Not A Source!')).toHaveLength(0);
  });

  // The rate limit per secret and overall, and sources bound to their secrets: tests/e2e/hardening-intake.test.ts.

  it('when every text field carries mentions and link tricks, then the triage post shows them literally', async () => {
    const body = report({
      title: '<!channel> <@U123> urgent',
      summary: 'Ping <!here> and <@U123>, see <https://evil.example|click>',
      reporter: '<!everyone> <@U123>',
      external_id: '<!channel>-1',
      links: ['https://evil.example/a>b|c', 'javascript:alert(1)', 'https://fine.example/x'],
    });
    const { post } = await sendAndPost(body, '&lt;!channel&gt; &lt;@U123&gt; urgent');
    const shown = text(post);
    for (const bad of [
      '<!channel>',
      '<!here>',
      '<!everyone>',
      '<@U123>',
      '<https://evil.example|click>',
      '<https://evil.example/a',
      '<javascript:',
    ]) {
      expect(shown).not.toContain(bad);
    }
    expect(shown).toContain('&lt;!channel&gt;');
    expect(shown).toContain('<https://fine.example/x|https://fine.example/x>');
  });

  it('when a trusted flagger reports, then the post is flagged first and pings the on-call', async () => {
    const { post } = await sendAndPost(
      report({ source: 'partner:safety-ngo', title: 'Trusted flag: grooming ring' }),
      undefined,
      NGO_SECRET,
    );
    const blocks = post.args.blocks as Array<{ text?: { text: string } }>;
    expect(blocks[0]?.text?.text).toContain('Priority report from a trusted flagger');
    expect(blocks[0]?.text?.text).toContain(`<@${ONCALL}>`);
  });

  it('when a trusted flagger reports, then the post names the flagger and asks the on-call on a line of its own, not as if they were the flagger', async () => {
    const { post } = await sendAndPost(report({ source: 'partner:safety-ngo', title: 'Trusted flag: second ring' }), undefined, NGO_SECRET);
    const text = (post.args.blocks as Array<{ text?: { text: string } }>)[0]?.text?.text ?? '';
    const [head, ask] = text.split('\n');
    expect(head).toContain('Priority report from a trusted flagger: Safety NGO');
    expect(head).not.toContain(`<@${ONCALL}>`);
    expect(ask).toBe(`On call, please triage this first: <@${ONCALL}>`);
  });
});

describe('triage in Slack', () => {
  it('when Declare is clicked, then the declare form is prefilled; on submit the incident carries the report and the triage post says who declared it', async () => {
    const body = report({
      source: 'regulator-portal',
      external_id: 'ORDER-9',
      title: 'Removal order ORDER-9',
      summary: 'Remove the video.',
      deadline: '2099-01-01T12:00:00Z',
      links: ['https://authority.example/orders/9'],
    });
    const { reportId, ts } = await sendAndPost(body);
    await h.clickButton({ actionId: 'triage_declare', value: reportId, userId: TRIAGER, channelId: intakeChannel, messageTs: ts });
    const open = await h.fake.waitForCall('views.open', (c) => JSON.stringify(c.args.view).includes(reportId));
    const view = open.args.view as { private_metadata: string; blocks: Array<{ block_id: string; element: Record<string, unknown> }> };
    const field = (id: string) => view.blocks.find((b) => b.block_id === id)?.element;
    expect(field('title')?.initial_value).toBe('Removal order ORDER-9');
    expect(String(field('summary')?.initial_value)).toContain('Reported via regulator-portal (ORDER-9)');
    expect(field('respond_by')?.initial_date_time).toBe(Date.UTC(2099, 0, 1, 12) / 1000);
    expect((field('category')?.initial_option as { value: string }).value).toBe('regulator-request');
    expect((field('severity')?.initial_option as { value: string }).value).toBe('sev2');

    const reply = await h.submitView(
      {
        id: nextViewId(),
        callback_id: 'declare_incident',
        private_metadata: view.private_metadata,
        state: declareState({
          title: 'Removal order ORDER-9',
          severity: 'sev2',
          category: 'regulator-request',
          summary: 'Remove the video.',
        }),
      },
      { userId: TRIAGER },
    );
    expect(reply.text).toBe('');
    // The report is claimed in the declaration's transaction, so the answer can come before the channel is open.
    const incident = await eventually(async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, 'Removal order ORDER-9'));
      return row?.channelId ? row : undefined;
    }, 'the declared incident with its channel');
    const update = await h.fake.waitForCall('chat.update', (c) => c.args.ts === ts);
    expect(String(update.args.text)).toContain(`Declared as INC-${incident!.number} by <@${TRIAGER}>`);
    expect(JSON.stringify(update.args.blocks)).not.toContain('triage_declare');

    const channelPost = await eventually(
      () =>
        h.fake
          .callsTo('chat.postMessage')
          .find((c) => c.args.channel === incident?.channelId && text(c).includes('ORDER-9') && text(c).includes('declared from a report')),
      'the report in the incident channel',
      10_000,
    );
    expect(text(channelPost)).toContain('<https://authority.example/orders/9|');
    const entries = await h.db.select().from(timelineEntries).where(eq(timelineEntries.incidentId, incident!.id));
    expect(entries.find((e) => e.kind === 'report_linked')?.data).toMatchObject({ reportId, externalId: 'ORDER-9' });
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'intake.declare'), eq(auditLog.actorId, TRIAGER)));
    expect(audit.map((a) => a.outcome)).toContain('ok');
  });

  it('when Merge is chosen, then the report joins the incident timeline and channel and the triage post says so', async () => {
    const title = 'An open incident to merge into';
    await h.submitView({
      id: nextViewId(),
      callback_id: 'declare_incident',
      state: declareState({ title, severity: 'sev3', category: 'other' }),
    });
    const incident = await eventually(
      async () => {
        const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
        return row?.channelId ? row : undefined;
      },
      'the incident channel',
      10_000,
    );
    const { reportId, ts } = await sendAndPost(report({ title: 'Same thing, reported by a partner' }));
    await h.clickButton({ actionId: 'triage_merge', value: reportId, userId: TRIAGER, channelId: intakeChannel, messageTs: ts });
    const open = await h.fake.waitForCall(
      'views.open',
      (c) => JSON.stringify(c.args.view).includes('triage_merge') && JSON.stringify(c.args.view).includes(reportId),
    );
    const view = open.args.view as { private_metadata: string };
    expect(JSON.stringify(open.args.view)).toContain(`INC-${incident.number}`);
    const reply = await h.submitView(
      {
        id: nextViewId(),
        callback_id: 'triage_merge',
        private_metadata: view.private_metadata,
        state: { values: { incident: { value: { type: 'static_select', selected_option: { value: incident.id } } } } },
      },
      { userId: TRIAGER },
    );
    expect(reply.text).toBe('');
    const update = await h.fake.waitForCall('chat.update', (c) => c.args.ts === ts);
    expect(String(update.args.text)).toContain(`Merged into INC-${incident.number} by <@${TRIAGER}>`);
    await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === incident.channelId && text(c).includes('merged into this incident'),
    );
    const entries = await h.db.select().from(timelineEntries).where(eq(timelineEntries.incidentId, incident.id));
    expect(entries.map((e) => e.kind)).toContain('report_merged');
  });

  it('when a report is merged into a private incident, then the triage post says "a private incident", never its number', async () => {
    const title = 'A private incident to merge into';
    await h.submitView(
      {
        id: nextViewId(),
        callback_id: 'declare_incident',
        state: declareState({ title, severity: 'sev3', category: 'other', private: true }),
      },
      { userId: TRIAGER },
    );
    const incident = await eventually(
      async () => {
        const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
        return row?.channelId ? row : undefined;
      },
      'the private incident channel',
      10_000,
    );
    expect(incident.isPrivate).toBe(true);
    const { reportId, ts } = await sendAndPost(report({ title: 'Partner report for the private case' }));
    await h.clickButton({ actionId: 'triage_merge', value: reportId, userId: TRIAGER, channelId: intakeChannel, messageTs: ts });
    const open = await h.fake.waitForCall(
      'views.open',
      (c) => JSON.stringify(c.args.view).includes('triage_merge') && JSON.stringify(c.args.view).includes(reportId),
    );
    const view = open.args.view as { private_metadata: string };
    await h.submitView(
      {
        id: nextViewId(),
        callback_id: 'triage_merge',
        private_metadata: view.private_metadata,
        state: { values: { incident: { value: { type: 'static_select', selected_option: { value: incident.id } } } } },
      },
      { userId: TRIAGER },
    );
    const update = await h.fake.waitForCall('chat.update', (c) => c.args.ts === ts);
    expect(String(update.args.text)).toContain(`Merged into a private incident by <@${TRIAGER}>`);
    expect(text(update)).not.toContain(`INC-${incident.number}`);
  });

  it('when Dismiss is submitted, a reason is required; then the triage post says who dismissed it and why, and a second decision changes nothing', async () => {
    const { reportId, ts } = await sendAndPost(report({ title: 'Spam from a bot' }));
    await h.clickButton({ actionId: 'triage_dismiss', value: reportId, userId: TRIAGER, channelId: intakeChannel, messageTs: ts });
    const open = await h.fake.waitForCall(
      'views.open',
      (c) => JSON.stringify(c.args.view).includes('triage_dismiss') && JSON.stringify(c.args.view).includes(reportId),
    );
    const metadata = (open.args.view as { private_metadata: string }).private_metadata;
    const dismiss = (reason: string | null, userId: string) =>
      h.submitView(
        {
          id: nextViewId(),
          callback_id: 'triage_dismiss',
          private_metadata: metadata,
          state: { values: { reason: { value: { type: 'plain_text_input', value: reason } } } },
        },
        { userId },
      );
    const empty = await dismiss(null, TRIAGER);
    expect(JSON.stringify(empty.json)).toContain('Say why');
    expect((await dismiss('Automated spam <!channel>', TRIAGER)).text).toBe('');
    const update = await h.fake.waitForCall('chat.update', (c) => c.args.ts === ts);
    expect(String(update.args.text)).toContain(`Dismissed by <@${TRIAGER}>: Automated spam &lt;!channel&gt;`);

    const second = await dismiss('Me too', SECOND);
    // A modal's errors are plain text in Slack: the person is named, not mentioned as <@U…>.
    expect(JSON.stringify(second.json)).toContain(`already decided: Dismissed by @${TRIAGER.toLowerCase()}`);
    await h.clickButton({ actionId: 'triage_declare', value: reportId, userId: SECOND, channelId: intakeChannel, messageTs: ts });
    const told = await eventually(
      () =>
        [...privateReplies(h.fake), ...h.fake.callsTo('chat.postMessage')].find(
          (c) => String(c.args.text).includes('already decided') && (c.args.user === SECOND || c.args.channel === SECOND),
        ),
      'the second person to be told',
    );
    expect(String(told.args.text)).toContain(`Dismissed by <@${TRIAGER}>`);
    const [row] = await h.db.select().from(intakeReports).where(eq(intakeReports.id, reportId));
    expect(row).toMatchObject({ status: 'dismissed', decidedBy: TRIAGER, dismissReason: 'Automated spam <!channel>' });
    const refused = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, SECOND), eq(auditLog.outcome, 'refused')));
    expect(refused.length).toBeGreaterThanOrEqual(2);
  });

  it('when a dismiss reason holds a control character, then the form says so inline; bidi controls are stripped from the reason shown', async () => {
    const { reportId, ts } = await sendAndPost(report({ title: 'Dismissed with pasted text' }));
    await h.clickButton({ actionId: 'triage_dismiss', value: reportId, userId: TRIAGER, channelId: intakeChannel, messageTs: ts });
    const open = await h.fake.waitForCall(
      'views.open',
      (c) => JSON.stringify(c.args.view).includes('triage_dismiss') && JSON.stringify(c.args.view).includes(reportId),
    );
    const metadata = (open.args.view as { private_metadata: string }).private_metadata;
    const dismiss = (reason: string) =>
      h.submitView(
        {
          id: nextViewId(),
          callback_id: 'triage_dismiss',
          private_metadata: metadata,
          state: { values: { reason: { value: { type: 'plain_text_input', value: reason } } } },
        },
        { userId: TRIAGER },
      );
    const refused = await dismiss('Spam\u0000 from a bot');
    expect(refused.json).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringContaining('control character') } });
    expect((await h.db.select().from(intakeReports).where(eq(intakeReports.id, reportId)))[0]?.status).toBe('pending');

    expect((await dismiss('Spam \u202Efrom a bot\u202C')).text).toBe('');
    const update = await h.fake.waitForCall('chat.update', (c) => c.args.ts === ts);
    expect(String(update.args.text)).toContain(`Dismissed by <@${TRIAGER}>: Spam from a bot`);
    const [row] = await h.db.select().from(intakeReports).where(eq(intakeReports.id, reportId));
    expect(row?.dismissReason).toBe('Spam from a bot');
  });

  it('when /incident intake is typed, then pending reports are listed oldest first with their age and deadline', async () => {
    const first = report({ title: 'Oldest pending report', deadline: '2099-02-01T00:00:00Z' });
    await sendAndPost(first);
    await sendAndPost(report({ title: 'Newer pending report' }));
    const reply = await h.command('intake', { userId: TRIAGER });
    const shown = reply.text;
    expect(shown.indexOf('Oldest pending report')).toBeGreaterThan(-1);
    expect(shown.indexOf('Oldest pending report')).toBeLessThan(shown.indexOf('Newer pending report'));
    expect(shown).toContain('waiting');
    expect(shown).toContain('respond by <!date^');
  });

  it('when /incident intake is typed by someone outside the triage channel, then they are politely refused; an admin is shown the reports', async () => {
    await sendAndPost(report({ title: 'A report only triagers may list' }));
    const refused = await h.command('intake', { userId: OTHER });
    expect(refused.text).toContain('shown only to members of the triage channel');
    expect(refused.text).not.toContain('A report only triagers may list');
    const admin = await h.command('intake', { userId: ADMIN });
    expect(admin.text).toContain('A report only triagers may list');
    expect(h.fake.callsTo('conversations.members').some((c) => c.args.channel === intakeChannel)).toBe(true);
  });

  it('when nobody picks a report up in time, then the on-call is nudged in the triage channel; a report decided before then is not', async () => {
    const decided = await sendAndPost(report({ title: 'Decided before its nudge' }));
    await h.clickButton({
      actionId: 'triage_dismiss',
      value: decided.reportId,
      userId: TRIAGER,
      channelId: intakeChannel,
      messageTs: decided.ts,
    });
    const open = await h.fake.waitForCall('views.open', (c) => JSON.stringify(c.args.view).includes(decided.reportId));
    await h.submitView(
      {
        id: nextViewId(),
        callback_id: 'triage_dismiss',
        private_metadata: (open.args.view as { private_metadata: string }).private_metadata,
        state: { values: { reason: { value: { type: 'plain_text_input', value: 'Handled by phone' } } } },
      },
      { userId: TRIAGER },
    );
    // The earlier tests' reports nudge first, in a nudge window of their own: more than three nudges
    // in one window collapse into a summary (issue 20), and this report's own nudge is the point here.
    await h.advance(5_000);
    await h.idle();
    await sendAndPost(report({ title: 'Nobody picked this up' }));
    const nudge = await h.fake.waitForCall(
      'chat.postMessage',
      (c) =>
        c.args.channel === intakeChannel && String(c.args.text).includes('Nobody picked this up') && String(c.args.text).includes('waited'),
      10_000,
    );
    expect(String(nudge.args.text)).toContain(`<@${ONCALL}>`);
    expect(
      h.fake
        .callsTo('chat.postMessage')
        .filter((c) => String(c.args.text).includes('Decided before its nudge') && String(c.args.text).includes('waited')),
    ).toHaveLength(0);
  });

  it('when the bot restarts while a nudge is pending, then the nudge still comes once the bot is back', async () => {
    await sendAndPost(report({ title: 'Waiting across a restart' }));
    await h.stopBot();
    await h.advance(2600); // down past the nudge's due time (2.4 s): the point of the test
    await h.restart();
    await h.fake.waitForCall(
      'chat.postMessage',
      (c) => String(c.args.text).includes('Waiting across a restart') && String(c.args.text).includes('waited'),
      10_000,
    );
  });
});

describe('the sender script in docs', () => {
  it('when docs/intake-sender.mjs sends a report, then Meridian accepts it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'intake-sender-'));
    const file = path.join(dir, 'report.json');
    writeFileSync(file, JSON.stringify(report({ title: 'Sent by the documented script' })));
    // The bot runs in this process: the script must run alongside it, not block the event loop.
    const run = await promisify(execFile)(process.execPath, ['docs/intake-sender.mjs', file], {
      env: { ...process.env, MERIDIAN_INTAKE_URL: `http://127.0.0.1:${port()}/api/intake`, INTAKE_SIGNING_SECRET: INTAKE_SECRET },
      encoding: 'utf8',
    });
    rmSync(dir, { recursive: true, force: true });
    expect(run.stdout).toMatch(/^202 \{"report_id":/);
    await triagePostOf('Sent by the documented script');
  });
});

describe('declaring from a message', () => {
  it('when an incident is declared with the message shortcut, then its channel and timeline link the message itself', async () => {
    const source = h.fake.addChannel({ name: 'escalations', members: [TRIAGER] });
    const ts = h.fake.postAsUser(source, { user: TRIAGER, text: 'Partner says a self-harm challenge is trending' });
    await sendToSlackEndpoint(
      h.eventsUrl,
      messageShortcutBody({
        userId: TRIAGER,
        callbackId: 'declare_from_message',
        triggerId: h.fake.mintTriggerId(),
        channelId: source,
        message: { ts, text: 'Partner says a self-harm challenge is trending', user: TRIAGER },
      }),
      { secret: SIGNING_SECRET, contentType: 'application/x-www-form-urlencoded' },
    );
    const open = await h.fake.waitForCall('views.open', (c) => JSON.stringify(c.args.view).includes(ts));
    const title = 'Self-harm challenge trending (from a message)';
    await h.submitView(
      {
        id: nextViewId(),
        callback_id: 'declare_incident',
        private_metadata: (open.args.view as { private_metadata: string }).private_metadata,
        state: declareState({ title, severity: 'sev3', category: 'other' }),
      },
      { userId: TRIAGER },
    );
    const incident = await eventually(
      async () => {
        const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
        return row?.channelId ? row : undefined;
      },
      'the incident channel',
      10_000,
    );
    const permalink = `https://meridian-test.slack.com/archives/${source}/p${ts.replace('.', '')}`;
    const post = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === incident.channelId && text(c).includes(permalink),
      10_000,
    );
    expect(text(post)).toContain('this message');
    const entry = await eventually(async () => {
      const rows = await h.db.select().from(timelineEntries).where(eq(timelineEntries.incidentId, incident.id));
      return rows.find((e) => e.kind === 'source_message');
    }, 'the timeline entry');
    expect(entry).toMatchObject({ permalink, messageTs: ts });
  });
});
