import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import {
  auditLog,
  contactMethods,
  escalations,
  incidents,
  notificationRules,
  pageNotifications,
  pages,
} from '../../src/db/schema/index.js';
import twilioLib from 'twilio';
import { startFakeTwilio, type FakeTwilio } from '../../src/sandbox/twilio/fake-twilio.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';

/** Step 2 ten minutes after step 1; SMS after 1 minute, a call after 3, an email after 5 (the rules under test). */
const CONFIG = `
admins: [U0ADMIN001]
escalation_policies:
  - id: urgent
    steps:
      - notify: [{ user: U0PAGER01 }]
        wait_minutes: 10
      - notify: [{ user: U0LEAD0001 }]
        wait_minutes: 10
    repeat: 0
severities:
  sev1: { label: "SEV1 Critical", policy: urgent }
  sev2: { label: "SEV2 Major" }
  sev3: { label: "SEV3 Minor" }
  sev4: { label: "SEV4 Low" }
contacts:
  - { user: U0PAGER01, sms: "+353 85 000 0001", voice: "+353 85 000 0001", email: Pager@Example.com }
notification_rules:
  - { after_minutes: 0, method: slack }
  - { after_minutes: 1, method: sms }
  - { after_minutes: 3, method: voice }
  - { after_minutes: 5, method: email }
`;
const PHONE = '+353850000001';
const twilioSignature = (token: string, url: string, params: Record<string, string>) =>
  twilioLib.getExpectedTwilioSignature(token, url, params);
const MIN = 60_000;

let h: Harness;
let twilio: FakeTwilio;
let smtp: SMTPServer;
const mails: { to: string; raw: string }[] = [];
let advanced = 0;
let seq = 0;

beforeAll(async () => {
  twilio = await startFakeTwilio({ clock: () => new Date(Date.now() + advanced) });
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) mails.push({ to: r.address, raw: Buffer.concat(chunks).toString('utf8') });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, {
    meridian: parsed.config,
    env: {
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: twilio.url,
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      SMTP_FROM: 'Meridian <pager@meridian.test>',
    },
  });
  for (const id of ['U0PAGER01', 'U0LEAD0001', 'U0ADMIN001']) h.fake.addUser({ id, name: id.toLowerCase(), tz: 'Europe/Dublin' });
  twilio.setSmsWebhook(`http://127.0.0.1:${h.runtime.port}/webhooks/twilio/sms`);
}, 60_000);
afterAll(async () => {
  await h?.close();
  await twilio?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});
beforeEach(() => {
  twilio.clearFaults();
  twilio.deliver(PHONE, undefined);
});

async function advance(ms: number) {
  advanced += ms;
  await h.advance(ms);
  await h.idle();
}

async function declare(title: string) {
  seq += 1;
  await h.submitView({
    id: `V0PHONE${String(seq).padStart(3, '0')}`,
    callback_id: 'declare_incident',
    state: declareState({ title, severity: 'sev1', category: 'harmful-trend' }),
  });
  const incident = await eventually(async () => {
    const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
    return row?.cardTs ? row : undefined;
  }, `incident "${title}" to be set up`);
  await h.idle();
  return incident;
}

const pageDms = (userId: string, incident: { number: number }) =>
  h.fake
    .callsTo('chat.postMessage')
    .filter(
      (c) =>
        c.args.channel === userId &&
        JSON.stringify(c.args.blocks ?? '').includes('page_ack') &&
        String(c.args.text).includes(`INC-${incident.number} `),
    );
const smsFor = (incident: { number: number }) =>
  twilio.messages.filter((m) => m.to === PHONE && m.body.includes(`INC-${incident.number} `));
const callsAfter = (count: number) => twilio.calls.slice(count);
const callsFor = (incident: { number: number }) => twilio.calls.filter((c) => c.twiml.includes(`incident ${incident.number},`));
const escalationOf = async (incidentId: string) =>
  (await h.db.select().from(escalations).where(eq(escalations.incidentId, incidentId)))[0]!;
const replyCode = (body: string) => /Reply (\d+)a/.exec(body)![1]!;

describe('a page that reaches the phone', () => {
  it('when a SEV1 is declared, then Slack at once, an SMS after a minute; a reply "1a" acknowledges once, audited, DM and card updated, and the call never comes', async () => {
    const calls = twilio.calls.length;
    const incident = await declare('Coordinated spam wave');
    expect(pageDms('U0PAGER01', incident)).toHaveLength(1);
    expect(smsFor(incident)).toHaveLength(0);

    await advance(MIN);
    const [sms] = smsFor(incident);
    expect(sms?.body).toContain('SEV1 Critical');
    expect(sms?.body).toMatch(/Reply \d+a to acknowledge/);
    expect(callsAfter(calls)).toHaveLength(0);

    const code = replyCode(sms!.body);
    const answer = await twilio.replySms('+353 85 000 0001', `${code}A `);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain(`You acknowledged INC-${incident.number}`);
    expect((await escalationOf(incident.id)).status).toBe('acknowledged');
    expect((await escalationOf(incident.id)).acknowledgedBy).toBe('U0PAGER01');
    // The page DM settled and the card brought up to date, as with the Slack button.
    const dmTs = (pageDms('U0PAGER01', incident)[0]!.response as { ts: string }).ts;
    await h.fake.waitForCall('chat.update', (c) => c.args.ts === dmTs && !JSON.stringify(c.args.blocks).includes('page_ack'));
    await h.fake.waitForCall('chat.update', (c) => c.args.channel === incident.channelId && c.args.ts === incident.cardTs);

    const again = await twilio.replySms(PHONE, `${code}a`);
    expect(again.text).toContain('Already acknowledged');
    const audits = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.incidentId, incident.id), eq(auditLog.action, 'escalation.acknowledge')));
    expect(audits.map((a) => [a.actorId, a.outcome])).toEqual([['U0PAGER01', 'ok']]);

    await advance(10 * MIN);
    expect(callsAfter(calls)).toHaveLength(0);
    expect(mails.filter((m) => m.raw.includes(`INC-${incident.number}`))).toHaveLength(0);
    expect(smsFor(incident)).toHaveLength(1);
    expect(pageDms('U0LEAD0001', incident)).toHaveLength(0);
  }, 60_000);

  it('when nobody answers, then a call after 3 minutes with a keypad menu, an email after 5 with a single-use link that acknowledges', async () => {
    const calls = twilio.calls.length;
    const incident = await declare('Extremist livestream reupload');
    await advance(MIN);
    expect(smsFor(incident)).toHaveLength(1);
    await advance(2 * MIN);
    const [call] = callsAfter(calls);
    expect(call?.to).toBe(PHONE);
    expect(call?.twiml).toContain('Press 4 to acknowledge');
    expect(call?.gatherUrl).toContain('/webhooks/twilio/voice?n=');
    await advance(2 * MIN);
    const mail = mails.find((m) => m.raw.includes(`INC-${incident.number}`));
    expect(mail?.to).toBe('Pager@example.com');
    const link = /(http:\/\/127\.0\.0\.1:\d+\/ack\/[0-9a-f-]{36}\.\d+\.[A-Za-z0-9_-]{43})/.exec(mail!.raw.replace(/=\r?\n/g, ''))?.[1];
    expect(link).toBeDefined();

    const forged = await fetch(link!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
    expect(forged.status).toBe(404);
    const opened = await fetch(link!);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain(`You acknowledged INC-${incident.number}`);
    expect((await escalationOf(incident.id)).acknowledgedBy).toBe('U0PAGER01');
    const reused = await fetch(link!);
    expect(reused.status).toBe(410);
    // A key pressed on the finished call changes nothing more.
    const pressed = await twilio.pressKey(call!.sid, '4');
    expect(pressed.text).toContain('Already acknowledged');
  }, 60_000);

  it('when the call comes on an unanswered page, then pressing 5 pages the next step at once, and pressing 4 acknowledges it before anyone else did', async () => {
    const calls = twilio.calls.length;
    const incident = await declare('Doxxing thread spreading');
    await advance(3 * MIN);
    const [call] = callsAfter(calls);
    expect(call?.to).toBe(PHONE);
    expect(pageDms('U0LEAD0001', incident)).toHaveLength(0);

    const five = await twilio.pressKey(call!.sid, '5');
    expect(five.status).toBe(200);
    expect(five.text).toContain(`Escalated INC-${incident.number}`);
    await h.idle();
    // Seven minutes before step 2 was due.
    expect(pageDms('U0LEAD0001', incident)).toHaveLength(1);
    expect((await escalationOf(incident.id)).status).toBe('active');

    const four = await twilio.pressKey(call!.sid, '4');
    expect(four.status).toBe(200);
    expect(four.text).toContain(`You acknowledged INC-${incident.number}`);
    expect(await escalationOf(incident.id)).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'U0PAGER01' });
    const audits = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.incidentId, incident.id), eq(auditLog.action, 'escalation.acknowledge')));
    expect(audits.map((a) => [a.actorId, a.outcome])).toEqual([['U0PAGER01', 'ok']]);
    // Acknowledged: the email rule (at 5 minutes) never sends.
    await advance(3 * MIN);
    expect(mails.filter((m) => m.raw.includes(`INC-${incident.number}`))).toHaveLength(0);
  }, 60_000);

  it('when a Twilio webhook is unsigned or signed with another token, then 403 and nothing changes; signed, "1e" escalates at once', async () => {
    const incident = await declare('Forged reply attempt');
    await advance(MIN);
    const code = replyCode(smsFor(incident)[0]!.body);
    const forged = await twilio.replySms(PHONE, `${code}a`, { signWith: 'some-other-auth-token-000000000' });
    expect(forged.status).toBe(403);
    const unsigned = await fetch(`http://127.0.0.1:${h.runtime.port}/webhooks/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ From: PHONE, Body: `${code}a` }).toString(),
    });
    expect(unsigned.status).toBe(403);
    expect((await escalationOf(incident.id)).status).toBe('active');
    expect(
      await h.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.incidentId, incident.id), eq(auditLog.action, 'escalation.acknowledge'))),
    ).toHaveLength(0);
    // Signed, `e` escalates: the next step pages at once, not in ten minutes.
    const escalated = await twilio.replySms(PHONE, `${code}e`);
    expect(escalated.status).toBe(200);
    await h.idle();
    expect(pageDms('U0LEAD0001', incident)).toHaveLength(1);
    // Who passed it on is not called about it two minutes later, nor mailed.
    await advance(5 * MIN);
    expect(callsFor(incident)).toHaveLength(0);
    expect(mails.filter((m) => m.raw.includes(`INC-${incident.number}`))).toHaveLength(0);
    await h.command('ack', { userId: 'U0ADMIN001', channelId: incident.channelId! });
    await h.idle();
  }, 60_000);

  it('when Twilio is down, then the SMS falls through to the call at once, counted on /metrics, and the policy still escalates on time', async () => {
    const calls = twilio.calls.length;
    twilio.fail({ kind: 'http', status: 503 }, { method: 'sms' });
    const incident = await declare('Outage at the SMS provider');
    await advance(MIN);
    expect(smsFor(incident)).toHaveLength(0);
    expect(callsAfter(calls)).toHaveLength(1);
    const rows = await h.db.select().from(pageNotifications).innerJoin(escalations, eq(escalations.incidentId, incident.id));
    expect(rows.some((r) => r.page_notifications.method === 'sms' && r.page_notifications.error === '20500')).toBe(true);
    const metrics = await (await fetch(`http://127.0.0.1:${h.runtime.port}/metrics`)).text();
    expect(metrics).toMatch(/meridian_page_notifications_total\{method="sms",outcome="failed"\} [1-9]/);
    expect(metrics).not.toContain(PHONE);
    // The bot's clock also runs in real time: a margin for a slow machine.
    await advance(9 * MIN - 30_000);
    expect(pageDms('U0LEAD0001', incident)).toHaveLength(0);
    await advance(30_000);
    expect(pageDms('U0LEAD0001', incident)).toHaveLength(1);
  }, 60_000);

  it('when Twilio takes an SMS and the connection drops before its answer, then the bot finds it in the message list: one SMS, its SID recorded', async () => {
    twilio.fail({ kind: 'lose-answer' }, { method: 'sms', times: 1 });
    const incident = await declare('Lost answer from the SMS provider');
    advanced += MIN;
    await h.advance(MIN);
    const row = await eventually(
      async () => {
        const list = await h.db
          .select()
          .from(pageNotifications)
          .where(and(eq(pageNotifications.method, 'sms'), eq(pageNotifications.status, 'sent')));
        return list.find((r) => smsFor(incident).some((m) => m.sid === r.providerRef));
      },
      'the held SMS to be adopted',
      15_000,
    );
    expect(smsFor(incident)).toHaveLength(1);
    expect(row.providerRef).toBe(smsFor(incident)[0]!.sid);
  }, 30_000);
});

describe("Twilio's status callbacks", () => {
  const rowsOf = async (incidentId: string) =>
    (
      await h.db
        .select()
        .from(pageNotifications)
        .innerJoin(escalations, eq(escalations.incidentId, incidentId))
        .innerJoin(pages, and(eq(pages.id, pageNotifications.pageId), eq(pages.escalationId, escalations.id)))
    ).map((r) => r.page_notifications);

  it('when an SMS is delivered, then its row says so and the call still waits for its own time', async () => {
    const incident = await declare('Delivered text');
    await advance(MIN);
    const [sms] = smsFor(incident);
    const row = await eventually(async () => {
      const r = (await rowsOf(incident.id)).find((n) => n.method === 'sms');
      return r?.deliveryStatus === 'delivered' ? r : undefined;
    }, 'the delivered status to be recorded');
    expect(row).toMatchObject({ status: 'sent', providerRef: sms!.sid, error: null });
    expect(twilio.statusCallbacks.filter((c) => c.sid === sms!.sid).map((c) => [c.status, c.answered])).toEqual([
      ['sent', 204],
      ['delivered', 204],
    ]);
    await h.idle();
    expect(callsFor(incident)).toHaveLength(0);
    await h.command('ack', { userId: 'U0PAGER01', channelId: incident.channelId! });
    await h.idle();
  }, 60_000);

  it('when Twilio takes an SMS but reports it undelivered, then the call comes at once, not two minutes later, and the row records why', async () => {
    twilio.deliver(PHONE, { sms: 'undelivered' });
    const incident = await declare('Undelivered text');
    await advance(MIN);
    expect(smsFor(incident)).toHaveLength(1);
    const [call] = await eventually(async () => {
      await h.idle();
      const made = callsFor(incident);
      return made.length ? made : undefined;
    }, 'the call to come at once');
    expect(call?.to).toBe(PHONE);
    const sms = (await rowsOf(incident.id)).find((n) => n.method === 'sms');
    expect(sms).toMatchObject({ status: 'failed', deliveryStatus: 'undelivered', error: '30003' });
    const metrics = await (await fetch(`http://127.0.0.1:${h.runtime.port}/metrics`)).text();
    expect(metrics).toMatch(/meridian_page_notifications_total\{method="sms",outcome="failed"\} [1-9]/);
    // The call's own time passes: it was brought forward, not doubled.
    await advance(2 * MIN);
    expect(callsFor(incident)).toHaveLength(1);
    await h.command('ack', { userId: 'U0PAGER01', channelId: incident.channelId! });
    await h.idle();
  }, 60_000);

  it('when the call is not answered (busy), then the email goes at once instead of at 5 minutes', async () => {
    twilio.deliver(PHONE, { voice: 'busy' });
    const incident = await declare('Busy line');
    await advance(3 * MIN);
    const mail = await eventually(async () => {
      await h.idle();
      return mails.find((m) => m.raw.includes(`INC-${incident.number}`));
    }, 'the email to go at once');
    expect(mail.to).toBe('Pager@example.com');
    const voice = (await rowsOf(incident.id)).find((n) => n.method === 'voice');
    expect(voice).toMatchObject({ status: 'failed', deliveryStatus: 'busy', error: 'busy' });
    await h.command('ack', { userId: 'U0PAGER01', channelId: incident.channelId! });
    await h.idle();
  }, 60_000);

  it('when a status callback is unsigned or forged, then 403 and the row is unchanged', async () => {
    const incident = await declare('Forged status');
    await advance(MIN);
    const row = await eventually(async () => {
      const r = (await rowsOf(incident.id)).find((n) => n.method === 'sms');
      return r?.deliveryStatus === 'delivered' ? r : undefined;
    }, 'the delivered status');
    const url = `http://127.0.0.1:${h.runtime.port}/webhooks/twilio/status?n=${row.id}`;
    const form = { AccountSid: twilio.accountSid, MessageSid: row.providerRef!, MessageStatus: 'undelivered', ErrorCode: '30003' };
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    expect(unsigned.status).toBe(403);
    const forged = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature('some-other-auth-token-000000000', url, form),
      },
      body: new URLSearchParams(form).toString(),
    });
    expect(forged.status).toBe(403);
    expect((await rowsOf(incident.id)).find((n) => n.id === row.id)).toMatchObject({ status: 'sent', deliveryStatus: 'delivered' });
    await h.command('ack', { userId: 'U0PAGER01', channelId: incident.channelId! });
    await h.idle();
  }, 60_000);
});

describe('a responder adds their own phone', () => {
  const form = (fields: Record<string, string>) => ({
    values: Object.fromEntries(Object.entries(fields).map(([block, value]) => [block, { value: { type: 'plain_text_input', value } }])),
  });
  const submit = (n: number, fields: Record<string, string>) =>
    h.submitView({ id: `V0ME${String(n).padStart(6, '0')}`, callback_id: 'oncall_me', state: form(fields) }, { userId: 'U0LEAD0001' });

  it('when /oncall me is saved with a number, then a code is texted; typed back, the number is verified and the rules are said back in words', async () => {
    await h.command('me', { command: '/oncall', userId: 'U0LEAD0001' });
    const opened = await h.fake.waitForCall('views.open', (c) => JSON.stringify(c.args.view).includes('oncall_me'));
    expect(JSON.stringify(opened.args.view)).toContain('A Slack DM at once, then a text message after 1 minute');

    const bad = await submit(1, { phone: '12345', sms_after: 'soon' });
    expect(bad.json).toMatchObject({ response_action: 'errors', errors: { phone: expect.stringContaining('country code') } });
    expect(await h.db.select().from(contactMethods).where(eq(contactMethods.userId, 'U0LEAD0001'))).toHaveLength(0);

    const saved = await submit(2, { phone: '+353 85 000 0077', sms_after: '2', voice_after: '4' });
    expect(JSON.stringify(saved.json)).toContain('We texted a code to +353850000077');
    expect(JSON.stringify(saved.json)).toContain(
      'A Slack DM at once, then a text message after 2 minutes, then a phone call after 4 minutes',
    );
    const sms = twilio.messages.find((m) => m.to === '+353850000077');
    const code = /code is (\d{6})/.exec(sms?.body ?? '')?.[1];
    expect(code).toBeDefined();
    const pending = await h.db.select().from(contactMethods).where(eq(contactMethods.userId, 'U0LEAD0001'));
    expect(pending.map((c) => [c.kind, c.verifiedAt])).toEqual(
      expect.arrayContaining([
        ['sms', null],
        ['voice', null],
      ]),
    );

    const wrong = await submit(3, {
      phone: '+353850000077',
      sms_after: '2',
      voice_after: '4',
      code: '000000' === code ? '111111' : '000000',
    });
    expect(wrong.json).toMatchObject({ response_action: 'errors', errors: { code: expect.stringContaining('does not match') } });
    const right = await submit(4, { phone: '+353850000077', sms_after: '2', voice_after: '4', code: code! });
    expect(JSON.stringify(right.json)).toContain('Verified: texts, calls.');
    const verified = await h.db.select().from(contactMethods).where(eq(contactMethods.userId, 'U0LEAD0001'));
    expect(verified.every((c) => c.verifiedAt !== null)).toBe(true);
    expect(await h.db.select().from(notificationRules).where(eq(notificationRules.userId, 'U0LEAD0001'))).toHaveLength(3);
    const audits = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, 'U0LEAD0001'), eq(auditLog.action, 'paging.preferences')));
    expect(audits.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(audits)).not.toContain('850000077');
    expect(twilio.messages.filter((m) => m.to === '+353850000077')).toHaveLength(1);
  }, 30_000);
});
