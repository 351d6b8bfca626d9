import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { contactMethods, escalations, incidents, notificationRules, pages } from '../../src/db/schema/index.js';
import { declareState, eventually, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';
import { eventBody, sendToSlackEndpoint } from '../support/slack-requests.js';

/** One follow-the-sun schedule; SEV1 pages it and waits long enough for the page to stay open. */
const CONFIG = `
admins: [U0ADMIN001]
schedules:
  - id: tns
    name: T&S follow-the-sun
    layers:
      - name: APAC
        timezone: Asia/Singapore
        coverage: { days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00" }
        rotation: { members: [U0SGA0001, U0SGB0002], every: 1 week, handoff: "09:00", starts: 2026-01-05 }
      - name: EMEA
        timezone: Europe/Dublin
        coverage: { days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00" }
        rotation: { members: [U0DUA0001], every: 1 week, handoff: "09:00", starts: 2026-01-05 }
escalation_policies:
  - id: urgent
    steps:
      - notify: [{ schedule: tns }]
        wait_minutes: 60
    repeat: 0
severities:
  sev1: { label: "SEV1 Critical", policy: urgent }
  sev2: { label: "SEV2 Major" }
  sev3: { label: "SEV3 Minor" }
  sev4: { label: "SEV4 Low" }
`;

/** Monday 2 March 2026, 10:00 in Singapore (02:00 UTC): U0SGA0001 is on call in APAC; Dublin is asleep. */
const MONDAY_APAC = Date.parse('2026-03-02T02:00:00Z');

let h: Harness;
let viewSeq = 0;
let eventSeq = 0;
const startedAt = Date.now();

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, { meridian: parsed.config, clock: () => new Date(MONDAY_APAC + (Date.now() - startedAt)) });
  for (const id of ['U0SGA0001', 'U0SGB0002', 'U0DUA0001']) h.fake.addUser({ id, name: id.toLowerCase(), tz: 'Asia/Singapore' });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.fake.reset();
  h.fake.clearFaults();
});

async function declare(title: string, fields: { severity?: string; category?: string; private?: boolean } = {}) {
  viewSeq += 1;
  await h.submitView({
    id: `V0HOME${String(viewSeq).padStart(4, '0')}`,
    callback_id: 'declare_incident',
    state: declareState({ title, severity: fields.severity ?? 'sev3', category: fields.category ?? 'other', private: fields.private }),
  });
  return eventually(
    async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
      return row?.cardTs && row.declarerToldAt ? row : undefined;
    },
    `incident "${title}" to be set up`,
    15_000,
  );
}

/** Opens the Home tab as `userId` and returns the view the bot published for them. */
async function openHome(userId: string): Promise<{ blocks: Array<Record<string, unknown>> }> {
  eventSeq += 1;
  const event = { type: 'app_home_opened', user: userId, channel: 'D0HOME0001', tab: 'home', event_ts: '1700000000.000100' };
  const answer = await sendToSlackEndpoint(h.eventsUrl, eventBody({ eventId: `Ev0HOME${eventSeq}`, event }), {
    secret: SIGNING_SECRET,
    contentType: 'application/json',
  });
  expect(answer.status).toBe(200);
  const call = await h.fake.waitForCall('views.publish', (c) => c.args.user_id === userId);
  h.fake.reset();
  return call.args.view as { blocks: Array<Record<string, unknown>> };
}

describe('App Home', () => {
  it('when a member and a non-member open their Home, then only the member sees the private incident; both see the public one', async () => {
    const secret = await declare('Grooming report from partner hotline', { category: 'child-safety', private: true });
    const open = await declare('Spam wave in comments');

    const member = JSON.stringify(await openHome('U0DECL001'));
    // A sensitive category: named by number and category on Home, the title is in the channel.
    expect(member).toContain(`INC-${secret.number}: `);
    expect(member).toContain('(details in the channel)');
    expect(member).not.toContain('Grooming report from partner hotline');
    expect(member).toContain(`<#${secret.channelId}>`);
    expect(member).toContain('Spam wave in comments');
    expect(member).toMatch(/open for \d+ min/);
    expect(member).toContain('SEV3 Minor');

    const outsider = JSON.stringify(await openHome('U0LEGAL01'));
    expect(outsider).toContain('Spam wave in comments');
    expect(outsider).toContain(`<#${open.channelId}>`);
    expect(outsider).not.toContain('Grooming');
    expect(outsider).not.toContain(secret.channelId!);
    expect(outsider).not.toContain(`INC-${secret.number}:`);
  });

  it('when an admin who is no member opens their Home, then it lists the private incidents admins may see', async () => {
    const secret = await declare('Extortion threats against a moderator', { category: 'child-safety', private: true });
    const admin = JSON.stringify(await openHome('U0ADMIN001'));
    expect(admin).toContain(`INC-${secret.number}: `);
    expect(admin).not.toContain('Extortion threats against a moderator');
    expect(admin).toContain(`<#${secret.channelId}>`);
    // Not by membership: the admin was never added to it.
    const outsider = JSON.stringify(await openHome('U0LEGAL01'));
    expect(outsider).not.toContain('Extortion threats');
  });

  it('when someone opens their Home, then it shows who is on call in each hub with the hub local time', async () => {
    const home = JSON.stringify(await openHome('U0RESP001'));
    expect(home).toContain('T&amp;S follow-the-sun');
    expect(home).toContain('<@U0SGA0001>');
    expect(home).toMatch(/APAC \(Asia\/Singapore, 10:0\d Mon\)/);
    expect(home).toMatch(/EMEA \(Europe\/Dublin, 02:0\d Mon\): off duty/);
    expect(home).toContain('Nothing is waiting for you.');
    expect(home).toContain('Where pages reach me');
    expect(home).toContain('No phone or email yet: pages reach you in Slack only.');
  });

  it('when a responder with a phone and an email opens their Home, then they read them masked with their rules in words, and Change opens the /oncall me modal', async () => {
    await h.db.insert(contactMethods).values([
      { userId: 'U0RESP002', kind: 'sms', address: '+353850000042', verifiedAt: new Date() },
      { userId: 'U0RESP002', kind: 'email', address: 'resp.two@example.com' },
    ]);
    const before = JSON.stringify(await openHome('U0RESP002'));
    expect(before).toContain('A Slack DM at once, then a text message after 1 minute, then a phone call after 3 minutes');
    expect(before).toContain('(the team default)');
    expect(before).toContain('Text messages: +353 ••• 42 (verified)');
    expect(before).toContain('Email: r•••@example.com (not verified yet');
    expect(before).not.toContain('850000042');
    expect(before).not.toContain('resp.two@');

    await h.db.insert(notificationRules).values([
      { userId: 'U0RESP002', position: 0, afterMinutes: 0, method: 'slack' },
      { userId: 'U0RESP002', position: 1, afterMinutes: 5, method: 'sms' },
    ]);
    const view = await openHome('U0RESP002');
    const reach = view.blocks.find((b) => JSON.stringify(b).includes('oncall_me_open')) as {
      text: { text: string };
      accessory: { action_id: string; value: string };
    };
    expect(reach.text.text).toContain('A Slack DM at once, then a text message after 5 minutes, while the page is unacknowledged.');
    expect(reach.text.text).not.toContain('team default');

    await h.clickButton({ actionId: reach.accessory.action_id, value: reach.accessory.value, userId: 'U0RESP002' });
    const opened = await h.fake.waitForCall('views.open', (c) => JSON.stringify(c.args.view).includes('"oncall_me"'));
    // The owner's own modal: the full number to edit, the code field for the unverified email.
    const modal = JSON.stringify(opened.args.view);
    expect(modal).toContain('+353850000042');
    expect(modal).toContain('Verification code we sent you');
  });

  it('when a responder has an unacknowledged page, then their Home lists it first with an Acknowledge button that works', async () => {
    const incident = await declare('Account takeovers via SIM swap', { severity: 'sev1' });
    const [page] = await eventually(async () => {
      const rows = await h.db.select().from(pages).where(eq(pages.incidentId, incident.id));
      return rows.length ? rows : undefined;
    }, 'the page');
    expect(page!.userId).toBe('U0SGA0001');

    const view = await openHome('U0SGA0001');
    const first = view.blocks.find((b) => b.type === 'section') as {
      text: { text: string };
      accessory: { action_id: string; value: string };
    };
    expect(first.text.text).toContain(`INC-${incident.number}`);
    expect(first.text.text).toContain('Account takeovers via SIM swap');
    expect(first.accessory).toMatchObject({ action_id: 'page_ack', value: page!.id });

    await h.clickButton({ actionId: first.accessory.action_id, value: first.accessory.value, userId: 'U0SGA0001' });
    await eventually(
      async () => (await h.db.select().from(escalations).where(eq(escalations.incidentId, incident.id)))[0]?.status === 'acknowledged',
      'the page to be acknowledged',
    );
    expect(JSON.stringify(await openHome('U0SGA0001'))).toContain('Nothing is waiting for you.');
  });
});
